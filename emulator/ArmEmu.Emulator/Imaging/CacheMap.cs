using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Imaging;

/// <summary>
/// <c>--cache-map FILE.png</c>: what each cache level did to each of its sets over the run, as a
/// picture, so that conflict misses and thrashing sets show at a glance. Bands from the top:
/// the I-cache's misses, the D-cache's misses, the D-cache's write-backs, then (with an L2) the
/// L2's misses and write-backs. In a band, row <c>s</c> (from the band's top) is set <c>s</c>
/// and each column is one slice of the run's instructions; a cell is black when nothing
/// happened, else coloured by its count on a log scale against the band's busiest cell (misses
/// dark red to yellow, write-backs dark blue to cyan). Bands are separated by a grey rule.
/// </summary>
/// <remarks>
/// It listens to the caches' line events (<see cref="Cache.Events"/>): misses and write-backs,
/// the ones that cost time. A slice starts at 256 instructions and doubles, merging neighbouring
/// columns, whenever the run would need more than <see cref="MaxColumns"/>: the picture is at
/// most that wide however long the run. A cache with fewer than 64 sets gets several rows per
/// set, so that every band is at least 64 pixels high.
/// </remarks>
internal sealed class CacheMap : IDisposable
{
    /// <summary>The widest the picture gets.</summary>
    public const int MaxColumns = 1024;

    private const int RuleHeight = 2;
    private readonly Func<ulong> _now;
    private readonly ulong _start;
    private readonly List<Band> _bands = [];
    private readonly List<(Func<Cache> Cache, Action<CacheEvent> Handler)> _subscriptions = [];
    private ulong _slice = 256;
    private int _columns;

    /// <param name="caches">The caches to watch.</param>
    /// <param name="now">The machine's instruction count (the time axis).</param>
    public CacheMap(CacheSystem caches, Func<ulong> now)
    {
        _now = now;
        _start = now();
        if (caches.InstructionCache is { } i) Watch(() => i, new Band("I-cache misses", i.Sets, CacheEventKind.Miss));
        if (caches.DataCache is { } d)
            Watch(() => d, new Band("D-cache misses", d.Sets, CacheEventKind.Miss), new Band("D-cache write-backs", d.Sets, CacheEventKind.WriteBack));
        if (caches.OuterCache is { } outer)
        {
            // A PL310 reconfigured while off replaces its Cache object but keeps its listeners.
            Watch(() => outer.Cache, new Band("L2-cache misses", outer.Cache.Sets, CacheEventKind.Miss),
                  new Band("L2-cache write-backs", outer.Cache.Sets, CacheEventKind.WriteBack));
        }
    }

    /// <summary>The bands, top to bottom, as <see cref="Render"/> lays them out.</summary>
    public IReadOnlyList<CacheMapBand> Bands
    {
        get
        {
            var result = new List<CacheMapBand>();
            int top = 0;
            foreach (var band in _bands)
            {
                if (result.Count > 0) top += RuleHeight;
                int rows = RowsPerSet(band.Sets);
                result.Add(new CacheMapBand(band.Name, top, band.Sets, rows));
                top += band.Sets * rows;
            }
            return result;
        }
    }

    /// <summary>Instructions per column (a power of two times 256).</summary>
    public ulong InstructionsPerColumn => _slice;

    /// <summary>The count of <paramref name="band"/>'s events in <paramref name="set"/> during column <paramref name="column"/>.</summary>
    public int Count(int band, int set, int column)
    {
        var columns = _bands[band].Columns;
        return column < columns.Count && columns[column] is { } cells && set < cells.Length ? cells[set] : 0;
    }

    private static int RowsPerSet(int sets) => Math.Max(1, 64 / Math.Max(1, sets));

    private void Watch(Func<Cache> cache, params Band[] bands)
    {
        _bands.AddRange(bands);
        void Handler(CacheEvent e)
        {
            foreach (var band in bands)
                if (e.Kind == band.Kind) Record(band, e.Set, Math.Max(band.Sets, e.Cache.Sets));
        }
        cache().Events += Handler;
        _subscriptions.Add((cache, Handler));
    }

    private void Record(Band band, int set, int sets)
    {
        ulong elapsed = _now() - _start;
        while (elapsed / _slice >= MaxColumns) Halve();
        int column = (int)(elapsed / _slice);
        if (sets > band.Sets) band.Sets = sets;
        while (band.Columns.Count <= column) band.Columns.Add(null);
        var cells = band.Columns[column];
        if (cells is null || cells.Length < band.Sets)
        {
            var grown = new int[band.Sets];
            cells?.CopyTo(grown, 0);
            band.Columns[column] = cells = grown;
        }
        cells[set]++;
        _columns = Math.Max(_columns, column + 1);
    }

    /// <summary>Twice the instructions per column: neighbouring columns merge.</summary>
    private void Halve()
    {
        foreach (var band in _bands)
        {
            var merged = new List<int[]?>((band.Columns.Count + 1) / 2);
            for (int c = 0; c < band.Columns.Count; c += 2)
            {
                var a = band.Columns[c];
                var b = c + 1 < band.Columns.Count ? band.Columns[c + 1] : null;
                if (a is null || b is null)
                {
                    merged.Add(a ?? b);
                    continue;
                }
                var sum = new int[Math.Max(a.Length, b.Length)];
                for (int s = 0; s < a.Length; s++) sum[s] += a[s];
                for (int s = 0; s < b.Length; s++) sum[s] += b[s];
                merged.Add(sum);
            }
            band.Columns = merged;
        }
        _slice *= 2;
        _columns = (_columns + 1) / 2;
    }

    /// <summary>The picture: width, height and 8-bit RGB pixels, rows top down (for <see cref="PngWriter"/>).</summary>
    public (int Width, int Height, byte[] Rgb) Render()
    {
        var layout = Bands;
        int width = Math.Max(1, _columns);
        int height = layout[^1].Top + layout[^1].Sets * layout[^1].RowsPerSet;
        var rgb = new byte[width * height * 3];
        for (int b = 0; b < _bands.Count; b++)
        {
            var band = _bands[b];
            var place = layout[b];
            if (b > 0)
                for (int y = place.Top - RuleHeight; y < place.Top; y++)
                    rgb.AsSpan(y * width * 3, width * 3).Fill(0x60);
            int max = 0;
            foreach (var cells in band.Columns)
                if (cells is not null) max = Math.Max(max, cells.Max());
            if (max == 0) continue;
            double scale = Math.Log(1 + max);
            for (int c = 0; c < band.Columns.Count; c++)
            {
                if (band.Columns[c] is not { } cells) continue;
                for (int s = 0; s < cells.Length; s++)
                {
                    if (cells[s] == 0) continue;
                    double t = Math.Log(1 + cells[s]) / scale;
                    var (r, g, bl) = band.Kind == CacheEventKind.Miss
                        ? (Level(80 + 175 * t), Level(255 * (2 * t - 1)), (byte)0)
                        : ((byte)0, Level(255 * (2 * t - 1)), Level(80 + 175 * t));
                    for (int k = 0; k < place.RowsPerSet; k++)
                    {
                        int at = ((place.Top + s * place.RowsPerSet + k) * width + c) * 3;
                        (rgb[at], rgb[at + 1], rgb[at + 2]) = (r, g, bl);
                    }
                }
            }
        }
        return (width, height, rgb);
    }

    private static byte Level(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    /// <summary>Writes the picture as a PNG file.</summary>
    public void Write(string path)
    {
        var (width, height, rgb) = Render();
        File.WriteAllBytes(path, PngWriter.Encode(width, height, rgb));
    }

    /// <summary>Stops listening to the caches.</summary>
    public void Dispose()
    {
        foreach (var (cache, handler) in _subscriptions) cache().Events -= handler;
        _subscriptions.Clear();
    }

    private sealed class Band(string name, int sets, CacheEventKind kind)
    {
        public string Name { get; } = name;
        public int Sets { get; set; } = sets;
        public CacheEventKind Kind { get; } = kind;
        public List<int[]?> Columns { get; set; } = [];
    }
}

/// <summary>Where a band of a <see cref="CacheMap"/> lies in the picture: its first row, its sets and the rows each set takes.</summary>
internal readonly record struct CacheMapBand(string Name, int Top, int Sets, int RowsPerSet);
