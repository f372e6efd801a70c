namespace Graph.Engine.Checkpoints;

/// <summary>Which checkpoints of one thread a <see cref="RetentionPolicy"/> keeps.</summary>
internal static class RetentionPlan
{
    /// <summary>The ids kept of <paramref name="history"/> (newest first, not empty); always the latest.</summary>
    public static HashSet<long> Keep(IReadOnlyList<RetentionRow> history, RetentionPolicy policy, DateTimeOffset now)
    {
        var keep = history.Select(c => c.Id).ToHashSet();
        if (policy.KeepLast is { } last)
        {
            keep.IntersectWith(NewestPerBranch(history, last));
        }

        if (policy.MaxAge is { } age)
        {
            keep.IntersectWith(history.TakeWhile(c => c.CreatedAt >= now - age).Select(c => c.Id));
        }

        if (policy.MaxBytesPerThread is { } budget)
        {
            var total = 0L;
            keep.IntersectWith(history.TakeWhile(c => (total += c.Size) <= budget).Select(c => c.Id));
        }

        keep.Add(history[0].Id);
        return keep;
    }

    /// <summary>From every branch tip (no checkpoint follows it), the tip and its ancestors up to <paramref name="count"/> in all.</summary>
    private static HashSet<long> NewestPerBranch(IReadOnlyList<RetentionRow> history, int count)
    {
        var byId = history.ToDictionary(c => c.Id);
        var parents = history.Where(c => c.ParentId is not null).Select(c => c.ParentId!.Value).ToHashSet();
        var kept = new HashSet<long>();
        foreach (var tip in history.Where(c => !parents.Contains(c.Id)))
        {
            RetentionRow? at = tip;
            for (var i = 0; i < count && at is { } row; i++)
            {
                kept.Add(row.Id);
                at = row.ParentId is { } parent && byId.TryGetValue(parent, out var found) ? found : null;
            }
        }

        return kept;
    }
}
