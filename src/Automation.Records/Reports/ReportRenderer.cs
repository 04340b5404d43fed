using System.Text.Encodings.Web;
using Automation.Core.Errors;
using Fluid;
using Fluid.Values;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Reports;

/// <summary>
/// Renders a report through the embedded Fluid templates (cm-report.html.liquid, cm-report.md.liquid) and writes the
/// HTML (SVG inline: one self-contained file), the markdown and the charts as .svg files for the markdown.
/// Only FluidValues built from the JObject model reach Fluid (no reflection: Native AOT stays safe).
/// </summary>
public static class ReportRenderer
{
    private static readonly FluidParser Parser = new();

    public static IReadOnlyList<string> Write(Report report, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var html = Path.Combine(outDir, "cm-report.html");
        var md = Path.Combine(outDir, "cm-report.md");
        File.WriteAllText(html, Render("cm-report.html", report.Model, HtmlEncoder.Default));
        File.WriteAllText(md, Render("cm-report.md", report.Model, NullEncoder.Default));
        var written = new List<string> { html, md };
        foreach (var chart in report.Charts)
        {
            var path = Path.Combine(outDir, chart.File);
            File.WriteAllText(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + chart.Svg);
            written.Add(path);
        }
        return written;
    }

    public static string Render(string templateName, JObject model, TextEncoder encoder)
    {
        var source = Embedded(templateName);
        if (!Parser.TryParse(source, out var template, out var error))
            throw new AutomationException($"report template {templateName} does not parse: {error}", fix: "This is a bug in the shipped template; report it.");
        var context = new TemplateContext(new TemplateOptions { StrictVariables = true, StrictFilters = true });
        foreach (var p in model.Properties()) context.SetValue(p.Name, ToFluid(p.Value));
        return template.Render(context, encoder);
    }

    public static FluidValue ToFluid(JToken token) => token switch
    {
        JObject o => new DictionaryValue(new FluidValueDictionaryFluidIndexable(o.Properties().ToDictionary(p => p.Name, p => ToFluid(p.Value), StringComparer.Ordinal))),
        JArray a => new ArrayValue(a.Select(ToFluid).ToArray()),
        { Type: JTokenType.Integer or JTokenType.Float } => NumberValue.Create((decimal)(double)token),
        { Type: JTokenType.Boolean } => BooleanValue.Create((bool)token),
        { Type: JTokenType.Null } => NilValue.Instance,
        _ => new StringValue(token.ToString()),
    };

    private static string Embedded(string name)
    {
        var resource = $"Automation.Records.Reports.Templates.{name}.liquid";
        using var stream = typeof(ReportRenderer).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded template {resource} is missing");
        return new StreamReader(stream).ReadToEnd();
    }
}
