namespace Graph.Engine.Actors;

/// <summary>Options for one actor. Immutable; derive variants with <c>with</c>.</summary>
public sealed record ActorOptions
{
    /// <summary>The options used when none are given.</summary>
    public static ActorOptions Default { get; } = new();

    /// <summary>
    /// The value of <see cref="MaxDegreeOfParallelism"/> for no limit. With it, the mailbox capacity counts the
    /// messages being handled as well as those waiting.
    /// </summary>
    public const int UnboundedParallelism = -1;

    /// <summary>The value of <see cref="Throughput"/> for no limit: the mailbox keeps its thread while messages wait.</summary>
    public const int UnboundedThroughput = -1;

    /// <summary>The mailbox's capacity and overflow policy.</summary>
    /// <value>Defaults to <see cref="MailboxOptions.Default"/>: 1,024 messages, <see cref="OverflowPolicy.Block"/>.</value>
    public MailboxOptions Mailbox { get; init; } = MailboxOptions.Default;

    /// <summary>
    /// How many messages may be handled at once. Above 1 the instance is shared by concurrent handlers,
    /// so only stateless (or internally synchronised) actors should opt in.
    /// </summary>
    /// <value>Defaults to 1: one message at a time. <see cref="UnboundedParallelism"/> removes the limit.</value>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>
    /// How many messages the mailbox handles per scheduling before it gives its thread back to the pool (and is
    /// scheduled again if messages still wait). A small number is fairer to other actors on a busy pool; an
    /// unlimited one costs the least per message.
    /// </summary>
    /// <value>Defaults to <see cref="UnboundedThroughput"/>; otherwise at least 1.</value>
    public int Throughput { get; init; } = UnboundedThroughput;

    /// <summary>How long a graceful stop lets queued messages drain before the running handler is cancelled and the rest are dead-lettered.</summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate(string path)
    {
        ArgumentNullException.ThrowIfNull(Mailbox, nameof(Mailbox));
        if (MaxDegreeOfParallelism < 1 && MaxDegreeOfParallelism != UnboundedParallelism)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, $"Actor '{path}': MaxDegreeOfParallelism must be at least 1, or UnboundedParallelism.");
        }

        if (Throughput < 1 && Throughput != UnboundedThroughput)
        {
            throw new ArgumentOutOfRangeException(nameof(Throughput), Throughput, $"Actor '{path}': Throughput must be at least 1, or UnboundedThroughput.");
        }

        if (DrainTimeout < TimeSpan.Zero && DrainTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(DrainTimeout), DrainTimeout, $"Actor '{path}': DrainTimeout must be non-negative or Timeout.InfiniteTimeSpan.");
        }
    }
}
