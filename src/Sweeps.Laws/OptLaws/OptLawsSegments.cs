namespace Sweeps.Laws.OptLaws;

/// <summary>
/// Which parts of a schedule feed the convergence (a_c1, a_c2) and escape (a_e1, a_e2) terms. The
/// paper gives two rules that disagree (digest §8.2), so the rule is explicit and recorded.
/// </summary>
public enum OptLawsSegments
{
    /// <summary>Tables 5–6: a_c1 = a_c2 = a_e1 = a_e2 = a1 (the plateau counts as cooldown).</summary>
    Tables,

    /// <summary>§4.3: a_c1 = a1, a_c2 = a3 (start of cooldown), a_e1 = a_e2 = a2.</summary>
    Section43,
}
