using System.Globalization;
using System.Text;

namespace Sweeps.Cli.Output;

/// <summary>A schedule as <c>step,lr</c> CSV, every step, LRs round-trippable: what a trainer reads as a table schedule.</summary>
internal static class ScheduleCsv
{
    public static void Write(string path, double[] lr)
    {
        var csv = new StringBuilder("step,lr\n");
        for (var s = 0; s < lr.Length; s++)
        {
            csv.Append(s.ToString(CultureInfo.InvariantCulture)).Append(',').Append(lr[s].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, csv.ToString());
    }
}
