namespace Automation.Core.Files;

/// <summary>
/// Names from metas and command lines (a script alias) made into one path segment that stays where it is put: every
/// character but letters, digits and <c>. _ + -</c> becomes <c>_</c>, so no separator, no <c>..</c> step, no control
/// character survives, and a name of only dots becomes underscores. An ordinary alias comes out unchanged.
/// </summary>
public static class SafeName
{
    public static string Segment(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-' ? c : '_').ToArray();
        var segment = new string(chars);
        return segment.Length == 0 || segment.All(c => c == '.') ? new string('_', Math.Max(1, segment.Length)) : segment;
    }
}
