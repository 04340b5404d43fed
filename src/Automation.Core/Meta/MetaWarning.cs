namespace Automation.Core.Meta;

/// <summary>
/// Something a meta does that CM tolerates and we read past (a dep without tags, an `adr` value that is not an
/// object, a duplicate key ...), or a meta skipped because it cannot be read. Printed as `file:line:col: message`
/// (1-based, as editors show; line 0 when unknown). <see cref="VerboseOnly"/> ones are shown only with --verbose.
/// </summary>
public sealed record MetaWarning(string File, int Line, int Column, string Message, bool VerboseOnly = false)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
