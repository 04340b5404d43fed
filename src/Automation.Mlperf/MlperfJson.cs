using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace Automation.Mlperf;

/// <summary>One JSON style for every sidecar this project writes: snake_case, indented, so files diff and hash stably.</summary>
internal static class MlperfJson
{
    public static JsonSerializerSettings Settings { get; } = new()
    {
        ContractResolver = new DefaultContractResolver { NamingStrategy = new SnakeCaseNamingStrategy() },
        Formatting = Formatting.Indented,
        MissingMemberHandling = MissingMemberHandling.Ignore,
    };

    public static string Serialize<T>(T value) => JsonConvert.SerializeObject(value, Settings);

    public static T Deserialize<T>(string json, string path) =>
        JsonConvert.DeserializeObject<T>(json, Settings)
        ?? throw new Core.Errors.AutomationException("JSON file is empty", file: path);
}
