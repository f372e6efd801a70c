using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;

namespace Graph.Engine.Sqlite;

/// <summary>
/// What the writer remembers between requests so that a step costs few statements: each thread's head (latest
/// checkpoint and its write count), written once per batch instead of once per request, and the hashes of states
/// known to be stored, and of shared properties records known to be stored. Another connection's commit (<c>PRAGMA data_version</c> changes), a failed request and a
/// thread operation make the writer forget it all.
/// </summary>
internal sealed partial class SqliteWriteSession
{
    private const int MaxRemembered = 4096;
    private readonly Dictionary<string, (long Key, long Latest, long Writes)> heads = new(StringComparer.Ordinal);
    private readonly HashSet<string> changedHeads = new(StringComparer.Ordinal);
    private readonly HashSet<(UInt128, UInt128)> storedStates = [];
    private readonly HashSet<(UInt128, UInt128)> storedShared = [];
    private long? seenDataVersion;

    /// <summary>Starts a batch inside the writer's new transaction: forgets everything if another connection committed.</summary>
    public void BeginBatch()
    {
        Statements++;
        var version = dataVersion.ReadInt64()!.Value;
        if (version != seenDataVersion || heads.Count > MaxRemembered || storedStates.Count > MaxRemembered)
        {
            Forget();
            seenDataVersion = version;
        }
    }

    /// <summary>Writes the heads changed since the last flush; called before every commit and release.</summary>
    public void FlushHeads()
    {
        foreach (var threadId in changedHeads)
        {
            var (key, latest, writes) = heads[threadId];
            StoreHead(key, threadId, latest, writes);
        }

        changedHeads.Clear();
    }

    /// <summary>Forgets every remembered head and state (nothing is unwritten: call after a flush or a rollback).</summary>
    public void Forget()
    {
        heads.Clear();
        changedHeads.Clear();
        storedStates.Clear();
        storedShared.Clear();
    }

    /// <summary>Runs a thread operation (which reads and rewrites heads and deletes states) on a written, then forgotten, cache.</summary>
    public T Reshaping<T>(Func<SqliteWriteSession, T> operation)
    {
        FlushHeads();
        try
        {
            return operation(this);
        }
        finally
        {
            Forget();
        }
    }

    /// <summary>Sets a thread's head; the row is written by the next <see cref="FlushHeads"/>.</summary>
    private void SetHead(string threadId, long key, long latest, long writes)
    {
        heads[threadId] = (key, latest, writes);
        changedHeads.Add(threadId);
    }

    /// <summary>Stores a state under its hash unless it is known to be stored already.</summary>
    private void StoreState(byte[] hash, ReadOnlyMemory<byte> state)
    {
        var key = RowHash.Key(hash);
        if (storedStates.Contains(key))
        {
            return;
        }

        // A small state is one row (INSERT ... DO NOTHING when present); a chunked one adds references to its chunks, so only when absent.
        if (state.Length <= StateChunks.InlineLimit || Scalar(blobExists, ("$hash", hash)) is null)
        {
            InsertState(hash, state);
        }

        storedStates.Add(key);
    }

    /// <summary>
    /// A checkpoint's metadata record: properties with shared entries (a run's) name them by hash (stored once in
    /// <c>shared_properties</c>, written here unless known to be there); other metadata is recorded whole.
    /// </summary>
    private byte[] EncodeMetadata(CheckpointMetadata metadata)
    {
        var shared = SharedProperties.Of(metadata);
        if (shared is not null && storedShared.Add(shared.Key))
        {
            Statements++;
            insertShared.Bind(1, shared.Hash).Bind(2, shared.Data).Execute();
        }

        return CheckpointRecordCodec.EncodeMetadata(metadata, shared);
    }
}
