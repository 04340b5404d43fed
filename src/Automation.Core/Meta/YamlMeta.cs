using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Automation.Core.Meta;

/// <summary>Reads CM's `_cm.yaml` into the same JSON shape as `_cm.json` (scalars stay strings, as CM's YAML loader keeps them).</summary>
public static class YamlMeta
{
    public static JObject ToJson(string yamlText, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException e)
        {
            throw new MetaException($"malformed YAML at {file}:{e.Start.Line}:{e.Start.Column}: {e.Message}", file);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            throw new MetaException("the meta is not a YAML mapping", file);
        return (JObject)Convert(map);
    }

    private static JToken Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JObject(m.Children.Select(kv => new JProperty(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode s => new JArray(s.Children.Select(Convert)),
        YamlScalarNode sc => ConvertScalar(sc),
        _ => JValue.CreateNull(),
    };

    private static JToken ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.Plain)
        {
            if (value is "true" or "True") return new JValue(true);
            if (value is "false" or "False") return new JValue(false);
            if (value is "null" or "~" or "") return JValue.CreateNull();
        }
        return new JValue(value);
    }
}
