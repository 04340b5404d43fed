using Automation.Core.Errors;

namespace Automation.Core.Resolution;

public sealed class UnknownTagsException(string message, string? fix) : AutomationException(message, fix: fix);
public sealed class AmbiguousScriptException(string message, string fix) : AutomationException(message, fix: fix);
public sealed class UnknownVariationException(string message, string file, string script, string fix) : AutomationException(message, file, script, fix);
public sealed class VariationConflictException(string message, string file, string script, string fix) : AutomationException(message, file, script, fix);
public sealed class DependencyCycleException(string message, string file, string script, string fix) : AutomationException(message, file, script, fix);
public sealed class VersionConflictException(string message, string file, string script, string fix) : AutomationException(message, file, script, fix);
public sealed class UnknownInputException(string message, string file, string script, string fix) : AutomationException(message, file, script, fix);
public sealed class DependencyDepthException(string message, string file, string script, string fix) : AutomationException(message, file, script, fix);
