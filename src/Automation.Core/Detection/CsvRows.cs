using System.Text;

namespace Automation.Core.Detection;

/// <summary>Minimal CSV reading for query tools such as nvidia-smi: comma-separated, optional double quotes, cells trimmed.</summary>
internal static class CsvRows
{
    public static IReadOnlyList<IReadOnlyList<string>> Parse(string text) =>
        text.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Trim().Length > 0)
            .Select(ParseLine)
            .ToList();

    private static IReadOnlyList<string> ParseLine(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString().Trim()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString().Trim());
        return cells;
    }
}
