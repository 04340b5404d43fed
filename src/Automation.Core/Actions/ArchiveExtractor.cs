using System.Formats.Tar;
using System.IO.Compression;
using Automation.Core.Files;
using SharpCompress.Compressors.Xz;

namespace Automation.Core.Actions;

public enum ArchiveFormat { Zip, Tar, TarGz, TarXz, Gz, Xz }

/// <param name="StripComponents">Leading path segments dropped from every entry (like tar --strip-components).</param>
/// <param name="Overwrite">When the target already has content: replace clashing files instead of refusing.</param>
/// <param name="Format">Skip detection and read the archive as this format.</param>
/// <param name="MaxBytes">The most the files may add up to (0: no limit); null: <see cref="ExtractOptions.DefaultMaxBytes"/>.</param>
public sealed record ExtractOptions(int StripComponents = 0, bool Overwrite = false, ArchiveFormat? Format = null, long? MaxBytes = null)
{
    /// <summary>The floor of the default limit: small archives may always unpack to this much.</summary>
    public const long DefaultMinimumBytes = 1L << 30;

    /// <summary>How many times its own size an archive may unpack to by default: far more than real data compresses.</summary>
    public const int DefaultRatio = 200;

    /// <summary>The default limit: <see cref="DefaultRatio"/> × the archive's size, at least <see cref="DefaultMinimumBytes"/>.</summary>
    public static long DefaultMaxBytes(long archiveBytes) => Math.Max(DefaultMinimumBytes, archiveBytes > long.MaxValue / DefaultRatio ? long.MaxValue : archiveBytes * DefaultRatio);
}

/// <param name="Entries">Relative paths ('/'-separated) of the files and links written.</param>
/// <param name="Bytes">Total size of the regular files written.</param>
public sealed record ExtractResult(string TargetDirectory, ArchiveFormat Format, IReadOnlyList<string> Entries, long Bytes);

/// <summary>
/// Unpacks zip, tar, tar.gz, tar.xz, and single-file .gz/.xz archives. Everything is first extracted into a hidden
/// sibling of the target and moved into place only when the whole archive was read, its checksums held (gzip's and
/// zip's CRC-32, xz's checks; a plain tar must end with its zero blocks), every entry passed the safety rules of
/// <see cref="ExtractionTree"/> and the files stayed within the size limit; on any failure or cancellation the sibling
/// is deleted and the target is untouched. The sibling is named after this process, so one left by a killed run is
/// removed by the next extraction beside it.
/// </summary>
public sealed class ArchiveExtractor
{
    private const int TarMagicOffset = 257;
    private static ReadOnlySpan<byte> TarMagic => "ustar"u8;

    public ExtractResult Extract(string archivePath, string targetDirectory, ExtractOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExtractOptions();
        var archive = Path.GetFullPath(archivePath);
        if (!File.Exists(archive))
            throw new ArchiveException($"The archive '{archive}' does not exist", archive, null, "Download it first, or check the path.");
        var format = options.Format ?? DetectFormat(archive) ?? throw new ArchiveException(
            $"Cannot extract '{archive}': neither its first bytes nor its name say it is a zip, tar, tar.gz, tar.xz, gz or xz archive",
            archive, null, "Check that the download is complete and is an archive (an HTML error page is a common culprit).");

        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory));
        var parent = Path.GetDirectoryName(target) ?? throw new ArchiveException(
            $"Cannot extract '{archive}' into the file-system root", archive, null, "Choose a target directory.");
        Directory.CreateDirectory(parent);
        var stagingPrefix = $".{Path.GetFileName(target)}.extracting-";
        FolderTree.PruneDead(parent, stagingPrefix);
        var staging = Path.Combine(parent, FolderTree.OwnedName(stagingPrefix, Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(staging);
        var limit = options.MaxBytes ?? ExtractOptions.DefaultMaxBytes(new FileInfo(archive).Length);
        try
        {
            var single = format is ArchiveFormat.Gz or ArchiveFormat.Xz;
            var tree = new ExtractionTree(staging, archive, single ? 0 : options.StripComponents, limit > 0 ? limit : long.MaxValue, cancellationToken);
            switch (format)
            {
                case ArchiveFormat.Zip:
                    ReadZip(archive, tree);
                    break;
                case ArchiveFormat.Gz or ArchiveFormat.Xz:
                    using (var data = Open(archive, format))
                    {
                        tree.AddFile(SingleFileName(archive), data, mode: null);
                        ReadOnlyStream.Drain(data);
                    }
                    break;
                default:
                    using (var data = Open(archive, format))
                    {
                        ReadTar(data, tree);
                        // The compressed formats check their data only at its very end, which TarReader never reads.
                        ReadOnlyStream.Drain(data);
                    }
                    if (format == ArchiveFormat.Tar) CheckTarEnd(archive);
                    break;
            }
            tree.Complete();
            MoveIntoPlace(staging, target, options.Overwrite, archive);
            return new ExtractResult(target, format, tree.Entries, tree.Bytes);
        }
        catch (Exception e) when (e is not ArchiveException and not OperationCanceledException)
        {
            var disk = e is IOException and not EndOfStreamException || e is UnauthorizedAccessException;
            throw disk
                ? new ArchiveException($"Could not extract '{archive}' ({format}): {e.Message.TrimEnd('.')}; nothing was extracted", archive, null,
                    "If the disk is full or read-only, free space or pick another target directory.", e)
                : new ArchiveException($"Could not extract '{archive}' ({format}): the archive is truncated or corrupt ({e.Message.TrimEnd('.')}); nothing was extracted",
                    archive, null, "Delete it and download it again; a download with --sha256 (or --md5) is checked before it is used.", e);
        }
        finally
        {
            FolderTree.TryDelete(staging);
        }
    }

    /// <summary>A plain tar has no checksum over its data, but it ends with zero blocks: without them it was cut short.</summary>
    private static void CheckTarEnd(string archive)
    {
        const int block = 512;
        using var file = File.OpenRead(archive);
        var tail = new byte[block];
        if (file.Length < block || file.Length % block != 0)
            throw new InvalidDataException($"a tar file is made of {block}-byte blocks, and {file.Length} bytes are not");
        file.Seek(-block, SeekOrigin.End);
        file.ReadExactly(tail);
        if (tail.AsSpan().ContainsAnyExcept((byte)0))
            throw new InvalidDataException("it does not end with the zero blocks that close a tar file");
    }

    /// <summary>The format from the file's first bytes, else from its name; null when neither tells.</summary>
    public static ArchiveFormat? DetectFormat(string archivePath)
    {
        var head = new byte[6];
        int read;
        using (var file = File.OpenRead(archivePath)) read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] is 3 or 5 or 7 && head[3] is 4 or 6 or 8) return ArchiveFormat.Zip;
        if (read >= 2 && head[0] == 0x1F && head[1] == 0x8B) return HoldsTar(archivePath, ArchiveFormat.TarGz) ? ArchiveFormat.TarGz : ArchiveFormat.Gz;
        if (read >= 6 && head.AsSpan().SequenceEqual<byte>([0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0]))
            return HoldsTar(archivePath, ArchiveFormat.TarXz) ? ArchiveFormat.TarXz : ArchiveFormat.Xz;
        if (HoldsTar(archivePath, ArchiveFormat.Tar)) return ArchiveFormat.Tar;
        return FormatFromName(Path.GetFileName(archivePath).ToLowerInvariant());
    }

    private static ArchiveFormat? FormatFromName(string name) => name switch
    {
        _ when name.EndsWith(".zip", StringComparison.Ordinal) => ArchiveFormat.Zip,
        _ when name.EndsWith(".tar", StringComparison.Ordinal) => ArchiveFormat.Tar,
        _ when name.EndsWith(".tar.gz", StringComparison.Ordinal) || name.EndsWith(".tgz", StringComparison.Ordinal) => ArchiveFormat.TarGz,
        _ when name.EndsWith(".tar.xz", StringComparison.Ordinal) || name.EndsWith(".txz", StringComparison.Ordinal) => ArchiveFormat.TarXz,
        _ when name.EndsWith(".gz", StringComparison.Ordinal) => ArchiveFormat.Gz,
        _ when name.EndsWith(".xz", StringComparison.Ordinal) => ArchiveFormat.Xz,
        _ => null,
    };

    /// <summary>Whether the (decompressed) stream starts with a POSIX/GNU tar header; v7 tars fall back to the name.</summary>
    private static bool HoldsTar(string archivePath, ArchiveFormat asFormat)
    {
        try
        {
            using var stream = Open(archivePath, asFormat);
            var header = new byte[TarMagicOffset + TarMagic.Length];
            return stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length
                   && header.AsSpan(TarMagicOffset).SequenceEqual(TarMagic);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false; // corrupt or cut-short data (readers throw all sorts): let extraction report it properly
        }
    }

    private static Stream Open(string archivePath, ArchiveFormat format) => format switch
    {
        ArchiveFormat.TarGz or ArchiveFormat.Gz => new VerifiedGzipStream(archivePath),
        ArchiveFormat.TarXz or ArchiveFormat.Xz => new XZStream(File.OpenRead(archivePath)),
        _ => File.OpenRead(archivePath),
    };

    private static string SingleFileName(string archivePath)
    {
        var name = Path.GetFileName(archivePath);
        var stem = Path.GetFileNameWithoutExtension(name);
        return stem.Length > 0 && !stem.Equals(name, StringComparison.Ordinal) ? stem : name + ".out";
    }

    private static void ReadTar(Stream data, ExtractionTree tree)
    {
        using var reader = new TarReader(data, leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
        {
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    tree.AddDirectory(entry.Name, entry.Mode);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    tree.AddFile(entry.Name, entry.DataStream ?? Stream.Null, entry.Mode);
                    break;
                case TarEntryType.SymbolicLink:
                    tree.AddSymbolicLink(entry.Name, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    tree.AddHardLink(entry.Name, entry.LinkName);
                    break;
                case TarEntryType.GlobalExtendedAttributes:
                    break;
                default:
                    throw tree.Unsafe(entry.Name, $"is a {entry.EntryType} entry; only files, directories and links are extracted");
            }
        }
    }

    private static void ReadZip(string archivePath, ExtractionTree tree)
    {
        using var zip = ZipFile.OpenRead(archivePath);
        foreach (var entry in zip.Entries)
        {
            // Zips made on Unix keep st_mode in the high half of the external attributes.
            var unixMode = (entry.ExternalAttributes >> 16) & 0xFFFF;
            var mode = (UnixFileMode)(unixMode & 0x1FF);
            var kind = unixMode & 0xF000;
            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\') || kind == 0x4000)
            {
                tree.AddDirectory(entry.FullName, mode);
            }
            else if (kind == 0xA000)
            {
                using var data = new Crc32Stream(entry.Open());
                using (var reader = new StreamReader(data, leaveOpen: true))
                    tree.AddSymbolicLink(entry.FullName, reader.ReadToEnd());
                CheckZipEntry(entry, data);
            }
            else
            {
                using var data = new Crc32Stream(entry.Open());
                tree.AddFile(entry.FullName, data, mode);
                CheckZipEntry(entry, data);
            }
        }
    }

    /// <summary>.NET's zip reader does not compare an entry's data with the CRC-32 and size the zip records for it.</summary>
    private static void CheckZipEntry(ZipArchiveEntry entry, Crc32Stream data)
    {
        ReadOnlyStream.Drain(data);
        if (data.Crc != entry.Crc32 || data.BytesRead != entry.Length)
            throw new InvalidDataException($"the data of '{entry.FullName}' does not match the CRC-32 and size the zip records for it");
    }

    private static void MoveIntoPlace(string staging, string target, bool overwrite, string archive)
    {
        if (IsLink(target) || File.Exists(target))
            throw new ArchiveException($"Cannot extract '{archive}' into '{target}': that path is a file or a link", archive, null,
                "Remove it, or choose another target directory.");
        if (!Directory.Exists(target) || !Directory.EnumerateFileSystemEntries(target).Any())
        {
            if (Directory.Exists(target)) Directory.Delete(target);
            Directory.Move(staging, target);
            return;
        }
        if (!overwrite && Clashes(staging, target).Take(3).ToList() is { Count: > 0 } clashes)
            throw new ArchiveException(
                $"Cannot extract '{archive}' into '{target}': it already holds {string.Join(", ", clashes.Select(c => $"'{c}'"))}; nothing was changed",
                archive, null, "Remove the target directory first, or ask for overwrite.");
        Merge(staging, target);
    }

    private static IEnumerable<string> Clashes(string from, string to)
    {
        foreach (var source in Directory.EnumerateFileSystemEntries(from))
        {
            var destination = Path.Combine(to, Path.GetFileName(source));
            if (!Exists(destination)) continue;
            if (!IsRealDirectory(source) || !IsRealDirectory(destination)) yield return destination;
            else foreach (var clash in Clashes(source, destination)) yield return clash;
        }
    }

    // Directories merge; anything else (including a link where the archive has a directory) is replaced, so the
    // archive's content is never written through a link that happened to exist in the target.
    private static void Merge(string from, string to)
    {
        foreach (var source in Directory.EnumerateFileSystemEntries(from).ToList())
        {
            var destination = Path.Combine(to, Path.GetFileName(source));
            if (IsRealDirectory(source) && IsRealDirectory(destination))
            {
                Merge(source, destination);
                continue;
            }
            if (IsLink(destination) || File.Exists(destination)) File.Delete(destination);
            else if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);
            if (IsRealDirectory(source)) Directory.Move(source, destination);
            else File.Move(source, destination);
        }
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
    private static bool Exists(string path) => IsLink(path) || File.Exists(path) || Directory.Exists(path);
    private static bool IsRealDirectory(string path) => Directory.Exists(path) && !IsLink(path);
}
