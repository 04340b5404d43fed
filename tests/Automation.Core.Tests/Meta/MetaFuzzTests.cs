using Automation.Core.Catalog;
using Automation.Core.Meta;
using Xunit;

namespace Automation.Core.Tests.Meta;

/// <summary>Damaged metas (cut short, a character changed): each one reads or is refused with a MetaException, never anything worse.</summary>
public sealed class MetaFuzzTests(MlcLibrary library) : IClassFixture<MlcLibrary>
{
    [MlcLibraryFact]
    public void A_damaged_library_meta_reads_or_is_refused_with_file_line_col_never_a_crash()
    {
        var random = new Random(14);
        var folders = library.MetaFolders;
        int read = 0, refused = 0;
        for (var i = 0; i < 3000; i++)
        {
            var folder = folders[random.Next(folders.Count)];
            var file = Path.Combine(folder, "meta.yaml");
            var (damaged, at) = MetaMutator.Damage(File.ReadAllText(file), random, (MetaDamage)(i % 3));
            try
            {
                ScriptLoader.Read(damaged, file, folder);
                read++;
            }
            catch (Exception e) when (e is not MetaException)
            {
                var line = 1 + damaged.AsSpan(0, at).Count('\n');
                throw new Xunit.Sdk.XunitException($"{file} damaged at line {line} ({(i % 3) switch { 0 => "cut", 1 => "changed", _ => "inserted" }}): {e}");
            }
            catch (MetaException e)
            {
                Assert.StartsWith(file, e.ToWarning().ToString());
                refused++;
            }
        }
        Assert.True(read > 0 && refused > 0, $"{read} read, {refused} refused");
    }
}
