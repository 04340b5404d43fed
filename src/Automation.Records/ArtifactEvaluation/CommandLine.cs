using System.Text;

namespace Automation.Records.ArtifactEvaluation;

/// <summary>Splits a claim's command like a POSIX shell would for plain words and quotes (no expansion, no pipes).</summary>
public static class CommandLine
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is not null)
            {
                if (c == quote) quote = null;
                else if (c == '\\' && quote == '"' && i + 1 < line.Length) current.Append(line[++i]);
                else current.Append(c);
            }
            else if (c is '\'' or '"') { quote = c; inWord = true; }
            else if (c == '\\' && i + 1 < line.Length) { current.Append(line[++i]); inWord = true; }
            else if (char.IsWhiteSpace(c)) { if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; } }
            else { current.Append(c); inWord = true; }
        }
        if (quote is not null) throw new FormatException($"unterminated {quote} quote in: {line}");
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
