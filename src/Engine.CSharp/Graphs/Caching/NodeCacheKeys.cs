using System.Security.Cryptography;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>The default cache key of a node's input: the SHA-256 of the input as the graph's serializer writes it, in hex.</summary>
internal static class NodeCacheKeys
{
    public static string Of<TState>(ICheckpointSerializer serializer, TState state) =>
        Convert.ToHexStringLower(SHA256.HashData(CheckpointBuffers.Serialize(serializer, state)));

    public static string OfArgument(ICheckpointSerializer serializer, Type declared, object? argument) =>
        Convert.ToHexStringLower(SHA256.HashData(CheckpointCodec.SerializeObject(serializer, argument?.GetType() ?? declared, argument)));
}
