using Sweeps.Core.Input;
using Sweeps.Core.Schedules;
using Sweeps.Core.Specs;
using Sweeps.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Curves;

/// <summary>
/// A curve manifest (DESIGN.md, Curves and manifests): which schedule produced each loss-curve CSV.
/// <see cref="Load"/> reports every problem of the YAML and of every CSV, with file and line.
/// </summary>
public sealed record CurveManifest(string Path, double? ModelSize, IReadOnlyList<ManifestCurve> Curves)
{
    /// <summary>Relative difference between a CSV's lr column and the schedule above which a warning is given.</summary>
    public const double LrMismatchTolerance = 0.01;

    /// <param name="columns">Where each CSV's step, loss and LR are, over the manifest's own <c>columns</c> (a command's flag).</param>
    public static CurveManifestLoad Load(string path, CurveColumns? columns = null)
    {
        var errors = new List<SpecError>();
        var warnings = new List<SpecError>();
        if (InputText.Read(path, out var problem) is not { } text)
        {
            errors.Add(new SpecError("", problem!, File: path));
            return new CurveManifestLoad(null, errors, warnings);
        }

        if (YamlValues.Root(text, errors) is not { } root)
        {
            return new CurveManifestLoad(null, Attach(errors, path), warnings);
        }

        var baseDirectory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var top = new YamlMap(root, "", errors);
        var modelSize = ReadModelSize(top, "model_size");
        columns ??= ReadColumns(top);
        StepConvention? declared = null;
        if (top.Text("step_convention") is { } conventionText)
        {
            declared = StepConventions.Parse(conventionText);
            if (declared is null)
            {
                top.Error("step_convention", $"must be updates (step t = t updates done, as Sweeps writes curves) or index (step s = the schedule index of the last update, as the MPL papers' files), got '{conventionText}'");
            }
        }

        var curves = new List<ManifestCurve>();
        if (top.Sequence("curves") is not { } sequence)
        {
            if (!top.Has("curves"))
            {
                top.Error("curves", "is required: a list of {name, file, schedule}");
            }
        }
        else
        {
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (sequence.Children[i] is not YamlMappingNode node)
                {
                    errors.Add(new SpecError($"curves[{i}]", "must be a mapping {name, file, schedule}", (int)sequence.Children[i].Start.Line));
                    continue;
                }

                if (ReadCurve(new YamlMap(node, $"curves[{i}]", errors), baseDirectory, System.IO.Path.GetDirectoryName(path) ?? "", modelSize, columns, warnings) is { } curve)
                {
                    curves.Add(curve);
                }
            }

            var duplicates = curves.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key);
            foreach (var name in duplicates)
            {
                errors.Add(new SpecError("curves", $"the name '{name}' is used by more than one curve"));
            }
        }

        top.RejectUnknownKeys();
        var manifest = errors.Count == 0 ? new CurveManifest(path, modelSize, ByScheduleIndex(curves, declared, warnings)) : null;
        return new CurveManifestLoad(manifest, Attach(errors, path), Attach(warnings, path));
    }

    /// <param name="shownDirectory">The manifest's directory as the user wrote it, so CSV errors name a path they recognise.</param>
    private static ManifestCurve? ReadCurve(
        YamlMap map, string baseDirectory, string shownDirectory, double? defaultModelSize, CurveColumns? columns, List<SpecError> warnings)
    {
        var file = map.Text("file");
        if (file is null)
        {
            map.Error("file", "is required: the curve's CSV, relative to the manifest");
        }

        var name = map.Text("name") ?? (file is null ? null : System.IO.Path.GetFileNameWithoutExtension(file));
        var modelSize = ReadModelSize(map, "model_size") ?? defaultModelSize;
        ScheduleSpec? schedule = null;
        if (map.Map("schedule") is { } scheduleMap)
        {
            var errorsBefore = map.Errors.Count;
            schedule = ScheduleYaml.Read(scheduleMap, baseDirectory);
            if (schedule is not null)
            {
                map.Errors.AddRange(ScheduleValidator.Validate(schedule, scheduleMap.Path, scheduleMap.KeyLines));
            }

            if (map.Errors.Count > errorsBefore)
            {
                schedule = null; // without a valid schedule the CSV cannot be checked against it
            }
        }
        else if (!map.Has("schedule"))
        {
            map.Error("schedule", "is required: the schedule that produced the curve");
        }

        map.RejectUnknownKeys();
        if (file is null || schedule is null)
        {
            return null;
        }

        var csvPath = System.IO.Path.Combine(baseDirectory, file);
        var shownFile = System.IO.Path.Combine(shownDirectory, file);
        // Step total_steps is a curve's last point when it counts updates: read it, and let the
        // manifest's step convention decide (StepConventions).
        var read = CurveCsv.Read(csvPath, schedule.TotalSteps + 1, columns);
        map.Errors.AddRange(read.Errors.Select(e => e with { File = shownFile }));
        warnings.AddRange(read.Warnings.Select(e => e with { File = shownFile }));
        if (read.Curve is not { } curve)
        {
            return null;
        }

        return new ManifestCurve(name!, shownFile, schedule, modelSize, curve);
    }

    /// <summary>The curves by schedule index, under the manifest's <c>step_convention</c> or, without one, the one their LR columns show.</summary>
    private static List<ManifestCurve> ByScheduleIndex(List<ManifestCurve> curves, StepConvention? declared, List<SpecError> warnings)
    {
        var convention = declared ?? StepConventions.Detect(curves);
        return curves.Select(curve =>
        {
            var entry = StepConventions.ToScheduleIndex(curve, convention, warnings);
            WarnOnLrMismatch(entry, warnings);
            return FillMissingLr(entry);
        }).ToList();
    }

    /// <summary>The manifest's <c>columns: {step: _step, loss: train/loss, lr: lr}</c>, for CSVs exported from elsewhere; null when absent.</summary>
    private static CurveColumns? ReadColumns(YamlMap top)
    {
        if (top.Map("columns") is not { } map)
        {
            return null;
        }

        var standard = CurveColumns.Standard;
        var columns = new CurveColumns(map.Text("step") ?? standard.Step, map.Text("loss") ?? standard.Loss, map.Text("lr") ?? standard.Lr);
        map.RejectUnknownKeys();
        return columns;
    }

    /// <summary>An exported log may leave the LR out, or log it less often than the loss: the schedule says what it was.</summary>
    private static ManifestCurve FillMissingLr(ManifestCurve entry)
    {
        var logged = entry.Curve.Lr;
        if (!logged.Any(double.IsNaN))
        {
            return entry;
        }

        var lr = entry.LearningRates;
        var filled = logged.Select((value, i) => double.IsNaN(value) ? lr[entry.Curve.Steps[i]] : value).ToArray();
        return entry with { Curve = entry.Curve with { Lr = filled } };
    }

    private static double? ReadModelSize(YamlMap map, string key)
    {
        var size = map.Number(key);
        if (size is { } value && !(value > 0))
        {
            map.Error(key, $"must be > 0, got {value}");
            return null;
        }

        return size;
    }

    private static void WarnOnLrMismatch(ManifestCurve entry, List<SpecError> warnings)
    {
        var lr = entry.LearningRates;
        for (var i = 0; i < entry.Curve.Count; i++)
        {
            var expected = lr[entry.Curve.Steps[i]];
            var logged = entry.Curve.Lr[i];
            if (!double.IsNaN(logged) && !StepConventions.Close(logged, expected)) // a missing LR is filled from the schedule
            {
                warnings.Add(new SpecError("lr",
                    $"step {entry.Curve.Steps[i]} logs lr {logged:G6} but the schedule gives {expected:G6}; laws use the schedule",
                    File: entry.File));
                return; // one warning per curve says enough
            }
        }
    }

    private static List<SpecError> Attach(List<SpecError> errors, string path) =>
        errors.Select(e => e.File is null ? e with { File = path } : e).ToList();
}
