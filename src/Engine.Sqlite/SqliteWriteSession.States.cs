using Graph.Engine.Checkpoints.Storage;

namespace Graph.Engine.Sqlite;

/// <summary>States and their chunks: stored once by hash, deleted with their last checkpoint.</summary>
internal sealed partial class SqliteWriteSession
{
    /// <summary>
    /// Stores a state not stored yet: whole when small, else as content-defined chunks (each chunk once, reference
    /// counted by the manifests that list it) and a manifest.
    /// </summary>
    private void InsertState(byte[] hash, ReadOnlyMemory<byte> state)
    {
        if (state.Length <= StateChunks.InlineLimit)
        {
            Statements++;
            insertBlob.Bind(1, hash).Bind(2, state.Span).Bind(3, StateChunks.RawKind).Execute();
            return;
        }

        var lengths = StateChunks.Cut(state.Span);
        var hashes = new List<byte[]>(lengths.Count);
        var offset = 0;
        foreach (var length in lengths)
        {
            var chunk = state.Slice(offset, length);
            var chunkHash = RowHash.Sha256(chunk.Span)[..StateChunks.HashSize];
            hashes.Add(chunkHash);
            Execute(insertChunk, ("$hash", chunkHash), ("$data", chunk.ToArray()));
            offset += length;
        }

        Statements++;
        insertBlob.Bind(1, hash).Bind(2, StateChunks.EncodeManifest(state.Length, hashes)).Bind(3, StateChunks.ChunkedKind).Execute();
    }

    private List<byte[]> StateHashes(string where, params (string Name, object? Value)[] parameters)
    {
        using var command = Command($"SELECT DISTINCT state_hash FROM checkpoints WHERE state IS NULL AND {where}");
        Bind(command, parameters);
        var hashes = new List<byte[]>();
        Statements++;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            hashes.Add((byte[])reader[0]);
        }

        return hashes;
    }

    private void DeleteUnusedBlobs(List<byte[]> hashes)
    {
        foreach (var hash in hashes)
        {
            long kind;
            byte[] data;
            Bind(unusedBlob, [("$hash", hash)]);
            Statements++;
            using (var reader = unusedBlob.ExecuteReader())
            {
                if (!reader.Read())
                {
                    continue; // still referenced
                }

                kind = reader.GetInt64(0);
                data = (byte[])reader[1];
            }

            Execute(deleteBlob, ("$hash", hash));
            if (kind == StateChunks.ChunkedKind)
            {
                foreach (var chunk in StateChunks.DecodeManifest(data).Hashes)
                {
                    Execute(releaseChunk, ("$hash", chunk));
                    Execute(deleteUnusedChunk, ("$hash", chunk));
                }
            }
        }
    }
}
