using System.Text;

namespace Graph.Engine.Checkpoints.Storage;

/// <summary>The errors of reading damaged data: a <see cref="CheckpointStoreException"/> naming thread, checkpoint and what failed.</summary>
internal static class StoreDamage
{
    /// <summary>The key under which a damage report is marked in <see cref="Exception.Data"/>, so the store stops writing.</summary>
    public const string Marker = "Graph.Engine.Checkpoints.Damaged";

    public static CheckpointStoreException Checkpoint(string threadId, long id, string what)
    {
        var exception = new CheckpointStoreException($"Checkpoint {id} of thread '{threadId}' is damaged: {what}.");
        exception.Data[Marker] = true;
        return exception;
    }

    public static bool IsDamage(Exception exception) => exception.Data.Contains(Marker);

    /// <summary>Runs a decoder over verified bytes; anything it throws on malformed input is reported as damage.</summary>
    public static T Decoding<T>(string threadId, long id, string what, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception exception) when (exception is EndOfStreamException or InvalidCastException or FormatException or OverflowException
            or ArgumentException or InvalidOperationException or IndexOutOfRangeException or DecoderFallbackException or CheckpointStoreException)
        {
            var damage = Checkpoint(threadId, id, $"{what} cannot be decoded ({exception.Message})");
            throw new CheckpointStoreException(damage.Message, exception) { Data = { [Marker] = true } };
        }
    }
}
