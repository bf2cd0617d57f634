namespace MLTrack.Server.Cli.Output;

/// <summary>
/// Plain-text tables that fit a width: columns keep their natural width while they fit; optional columns (the ones
/// listed last) are dropped first, then the widest cells are cut with an ellipsis.
/// </summary>
public sealed class TableWriter(IReadOnlyList<string> headers, int requiredColumns)
{
    private readonly List<string[]> _rows = [];

    public void AddRow(params string[] cells)
    {
        if (cells.Length != headers.Count) throw new ArgumentException($"Row has {cells.Length} cells, table has {headers.Count} columns.");
        _rows.Add(cells);
    }

    public void Write(TextWriter w, int width)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToList();
        int columns = headers.Count;
        int Total(int n) => widths.Take(n).Sum() + 2 * (n - 1);
        while (columns > requiredColumns && Total(columns) > width) columns--;
        // Still too wide: shrink the widest column step by step, never below 8 characters.
        while (Total(columns) > width)
        {
            int widest = Enumerable.Range(0, columns).MaxBy(i => widths[i]);
            if (widths[widest] <= 8) break;
            widths[widest]--;
        }
        WriteLine(w, headers.ToArray(), widths, columns);
        foreach (var row in _rows) WriteLine(w, row, widths, columns);
    }

    private static void WriteLine(TextWriter w, string[] cells, List<int> widths, int columns)
    {
        var parts = new string[columns];
        for (int i = 0; i < columns; i++)
        {
            var cell = cells[i].Length > widths[i] ? cells[i][..(widths[i] - 1)] + "…" : cells[i];
            parts[i] = i == columns - 1 ? cell : cell.PadRight(widths[i]);
        }
        w.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}
