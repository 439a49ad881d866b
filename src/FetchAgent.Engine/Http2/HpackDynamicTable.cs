namespace FetchAgent.Engine.Http2;

/// <summary>
/// RFC 7541 §2.3.2 and §4: a FIFO of fields, newest first (index 62 after the static table), bounded by size in
/// octets; adding an entry evicts the oldest until it fits, and an entry larger than the table empties it.
/// </summary>
public sealed class HpackDynamicTable
{
    private readonly LinkedList<HpackField> _entries = new();

    public HpackDynamicTable(int maxSize)
    {
        MaxSize = maxSize;
    }

    public int MaxSize { get; private set; }

    public int Size { get; private set; }

    public int Count => _entries.Count;

    /// <summary>The entry at a dynamic index, 1 being the newest.</summary>
    public HpackField this[int index]
    {
        get
        {
            var node = _entries.First;
            for (var i = 1; i < index; i++)
                node = node!.Next;
            return node!.Value;
        }
    }

    public void Add(HpackField field)
    {
        // §4.4: evict until the new entry fits; an entry larger than the whole table leaves it empty.
        Evict(MaxSize - field.Size);
        if (field.Size <= MaxSize)
        {
            _entries.AddFirst(field);
            Size += field.Size;
        }
    }

    /// <summary>§4.3 and §6.3: a new maximum evicts entries until the table fits it.</summary>
    public void Resize(int maxSize)
    {
        MaxSize = maxSize;
        Evict(maxSize);
    }

    private void Evict(int target)
    {
        while (Size > Math.Max(target, 0) && _entries.Last is { } last)
        {
            Size -= last.Value.Size;
            _entries.RemoveLast();
        }
    }
}
