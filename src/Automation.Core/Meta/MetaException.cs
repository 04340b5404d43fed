using Automation.Core.Errors;

namespace Automation.Core.Meta;

public sealed class MetaException(string message, string file, string? script = null, string? fix = null)
    : AutomationException(message, file, script, fix ?? $"Fix {file} (it must be a JSON object with CM's script keys; see docs/meta-reference.md).");
