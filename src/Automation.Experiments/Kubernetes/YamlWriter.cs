using System.Globalization;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Automation.Experiments.Kubernetes;

/// <summary>
/// Emits JSON trees as YAML documents through YamlDotNet's event emitter (no reflection: AOT-safe). Keys keep their
/// order and strings that YAML would read as another type ("1", "true", "") are quoted, so output is deterministic.
/// </summary>
public static class YamlWriter
{
    public static string Write(IEnumerable<JToken> documents)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        foreach (var doc in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: false));
            Emit(emitter, doc);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, JToken token)
    {
        switch (token)
        {
            case JObject o:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var p in o.Properties())
                {
                    emitter.Emit(Scalar(p.Name));
                    Emit(emitter, p.Value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JArray a:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in a) Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case JValue { Type: JTokenType.Integer or JTokenType.Float } n:
                emitter.Emit(new Scalar(null, null, Convert.ToString(n.Value, CultureInfo.InvariantCulture)!, ScalarStyle.Plain, true, false));
                break;
            case JValue { Type: JTokenType.Boolean } b:
                emitter.Emit(new Scalar(null, null, (bool)b.Value! ? "true" : "false", ScalarStyle.Plain, true, false));
                break;
            case JValue { Type: JTokenType.Null }:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            default:
                emitter.Emit(Scalar((string?)token ?? ""));
                break;
        }
    }

    private static Scalar Scalar(string value)
    {
        var ambiguous = value.Length == 0 || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || value.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "null" or "~" || value.Contains('\n');
        return new Scalar(null, null, value, ambiguous ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, !ambiguous, ambiguous);
    }
}
