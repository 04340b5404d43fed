namespace Automation.Core.Tests.Actions;

/// <summary>Small real archives made by the reference tools, base64-encoded.</summary>
public static class SampleArchives
{
    // tar (ustar) of pkg/readme.txt ("packed with xz\n") and pkg/bin/tool (mode 755), compressed with `xz -9e`.
    public const string PkgTarXz =
        "/Td6WFoAAATm1rRGAgAhARwAAAAQz1jM4Cf/ALxdADgayRWYrNGyNLfPL52tDilYvn2GciFqwIW5hBEUSdmOO5gxJ5Gi0cJyseigH3SgdoXt4B/ma6BE1xJ5wlNn3el67Vbx594ZohIwrvukUJe/IQKUh9yGW0tlq0EGTIEqr+m2b04fWps8VKr3NJHGkfTVcqhO2rrxXOw5ryrTuh3RDJhjr+FSmDT53koStP/mSmizbDqHAmTZMnSJOU2KqtaeQm1aR4FPmDWR0y5mQ0JweDCnOX6lFn0ep4TbAC5p/wFaD2OTAAHYAYBQAACk+72BscRn+wIAAAAABFla";
    // "single xz file\n" compressed with `xz`.
    public const string NoteXz = "/Td6WFoAAATm1rRGAgAhARYAAAB0L+WjAQAOc2luZ2xlIHh6IGZpbGUKAABSyvER/l+aswABJw/fGvxqH7bzfQEAAAAABFla";
}
