using System.Numerics;

namespace MhaRights.Server.Reporting.Queries;

/// <summary>
/// Positions by <see cref="IdKey"/> for the report scan's million-row reads: an open-addressed table with the packed
/// keys stored in the slots, so a lookup of a random id is about one cache miss, where a
/// <see cref="Dictionary{TKey, TValue}"/> reads its bucket array and then its entry array (the duty pass looks up
/// every episode, the grouping every episode's patient). Ids kept as text (<see cref="IdKey"/>) go to a dictionary
/// beside it. Written by one thread, then read by any number.
/// </summary>
internal sealed class IdIndex
{
    private readonly Dictionary<IdKey, int> _text = [];
    private Slot[] _slots;
    private int _count;

    /// <param name="capacity">The number of ids expected (the table grows past it, at a cost).</param>
    public IdIndex(int capacity = 0)
    {
        // At most half full: a lookup then reads one slot or its neighbour, mostly in the same cache line.
        _slots = NewSlots((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, Math.Min(capacity, 1 << 29) * 2)));
    }

    public int Count => _count + _text.Count;

    /// <summary>Sets the position of <paramref name="key"/> (replacing any it had).</summary>
    public void Set(IdKey key, int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (key.IsText)
        {
            _text[key] = position;
            return;
        }

        if ((_count + 1) * 2 > _slots.Length)
        {
            Grow();
        }

        if (Insert(_slots, (ulong)key.Packed, (ulong)(key.Packed >> 64), position))
        {
            _count++;
        }
    }

    public bool TryGetValue(IdKey key, out int position)
    {
        if (key.IsText)
        {
            return _text.TryGetValue(key, out position);
        }

        var slots = _slots;
        var mask = slots.Length - 1;
        ulong low = (ulong)key.Packed, high = (ulong)(key.Packed >> 64);
        for (var i = Hash(low, high) & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.Stored == 0)
            {
                position = -1;
                return false;
            }

            if (slot.Low == low && slot.High == high)
            {
                position = slot.Stored - 1;
                return true;
            }
        }
    }

    public bool ContainsKey(IdKey key) => TryGetValue(key, out _);

    /// <summary>Whether the key was new.</summary>
    private static bool Insert(Slot[] slots, ulong low, ulong high, int position)
    {
        var mask = slots.Length - 1;
        for (var i = Hash(low, high) & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.Stored == 0 || (slot.Low == low && slot.High == high))
            {
                var added = slot.Stored == 0;
                slot.Low = low;
                slot.High = high;
                slot.Stored = position + 1;
                return added;
            }
        }
    }

    private void Grow()
    {
        var slots = NewSlots(_slots.Length * 2);
        foreach (var slot in _slots)
        {
            if (slot.Stored != 0)
            {
                Insert(slots, slot.Low, slot.High, slot.Stored - 1);
            }
        }

        _slots = slots;
    }

    /// <summary>
    /// A zeroed table, written through once before use. A new array of this size (tens of MB) is fresh memory from the
    /// OS, which the collector does not clear; the first probe of each of its pages then read it (mapping the shared
    /// zero page) and the insert wrote it (a second fault, and a TLB flush on every core). Cleared here, each page
    /// takes one fault: 8% less CPU per report on the 1,000,000-episode file (bench/ANALYSIS.md).
    /// </summary>
    private static Slot[] NewSlots(int length)
    {
        var slots = GC.AllocateUninitializedArray<Slot>(length);
        slots.AsSpan().Clear();
        return slots;
    }

    // The two halves folded and multiplied; the high bits of the product are the well-mixed ones.
    private static int Hash(ulong low, ulong high) => (int)(((low ^ high) * 0x9E3779B97F4A7C15UL) >> 33);

    /// <summary>A packed key in two halves (24 bytes a slot, where a UInt128 would align it to 32) and its position + 1 (0: an empty slot).</summary>
    private struct Slot
    {
        public ulong Low;
        public ulong High;
        public int Stored;
    }
}
