using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>The base of every event yielded by <see cref="CompiledGraph{TState, TUpdate}.StreamAsync(TState, RunOptions?, CancellationToken)"/>.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The superstep (1-based; 0 for events before the first step).</param>
public abstract record GraphEvent(string RunId, int Step)
{
    /// <summary>
    /// The event's position in its run's stream (1, 2, 3… in the order written; a gap means events were dropped,
    /// see <see cref="StreamOverflow"/>). Pass the last id seen to
    /// <see cref="CompiledGraph{TState, TUpdate}.ReattachAsync"/> to continue a durable run's stream.
    /// </summary>
    /// <value>0 until the event is written to a stream.</value>
    public long Id { get; internal set; }

    /// <summary>Compares the events' contents; the <see cref="Id"/> (where a stream put the event) is left out.</summary>
    /// <param name="other">The other event.</param>
    /// <returns>Whether both are the same kind of event with equal contents.</returns>
    public virtual bool Equals(GraphEvent? other) =>
        ReferenceEquals(this, other) || (other is not null && EqualityContract == other.EqualityContract && RunId == other.RunId && Step == other.Step);

    /// <summary>A hash of the contents (the <see cref="Id"/> left out).</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(EqualityContract, RunId, Step);

    /// <summary>Prints the run id and step (the id is left out, so an event reads the same however it was streamed).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    protected virtual bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("RunId = ").Append(RunId).Append(", Step = ").Append(Step);
        return true;
    }
}
