using Orleans.Serialization.Cloning;
using Sweeps.Core.Specs;
using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>
/// A sweep's spec never changes once parsed (an immutable record of read-only lists), so a call
/// between grains of one silo passes it as is. Orleans deep-copies such arguments, and for the
/// library types it carries as JSON the copy is a JSON round trip: ~25 ms for a spec of 10,000
/// peak LRs (<c>sweeps bench cluster</c>).
/// </summary>
[RegisterCopier]
public sealed class SweepSpecCopier : ShallowCopier<SweepSpec>;

/// <summary>
/// A run's final loss with its hyper-parameters, an immutable record: the law fit of a sweep is
/// handed one per run, and copying 10,000 of them through JSON took ~60 ms.
/// </summary>
[RegisterCopier]
public sealed class FinalLossPointCopier : ShallowCopier<FinalLossPoint>;
