namespace Automation.Core.Meta;

/// <summary>
/// What a meta may be, whatever its format (docs/meta-reference.md, "Limits"): far beyond every real meta (the MLC
/// library's largest is 66 KB, nested 8 levels), and small enough that a hostile or damaged one is refused at once
/// instead of exhausting the stack (deep nesting), memory or time (a YAML alias bomb, a huge file).
/// </summary>
public static class MetaLimits
{
    /// <summary>Nesting of mappings and lists, the root included (Newtonsoft's own default for JSON).</summary>
    public const int MaxDepth = 64;

    /// <summary>Nodes of the document once YAML aliases are expanded (the "billion laughs" defence).</summary>
    public const int MaxNodes = 100_000;

    /// <summary>Size of the meta file.</summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>A meta of <paramref name="length"/> bytes (or characters) is refused before it is parsed when larger than <see cref="MaxBytes"/>.</summary>
    public static void CheckSize(long length, string file)
    {
        if (length > MaxBytes)
            throw new MetaException($"the meta is {length:N0} bytes, more than the {MaxBytes / 1024:N0} KiB a meta may have", file);
    }
}
