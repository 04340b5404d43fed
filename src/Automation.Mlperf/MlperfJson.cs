using Automation.Core.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf;

/// <summary>JSON helpers built on JObject only: reflection-based serialization does not survive Native AOT trimming.</summary>
internal static class MlperfJson
{
    public static JObject ParseObject(string json, string path)
    {
        try
        {
            return JObject.Parse(json);
        }
        catch (JsonReaderException e)
        {
            throw new AutomationException($"malformed JSON at line {e.LineNumber}, column {e.LinePosition}", file: path, fix: "Rebuild the file (run the step that writes it again).");
        }
    }
}
