using Automation.Core.Errors;

namespace Automation.Core.Repos;

/// <summary>A repository that cannot be pulled, read or removed; the message names it and the fix.</summary>
public sealed class RepoException(string message, string? file = null, string? fix = null, Exception? inner = null)
    : AutomationException(message, file, null, fix, inner);
