namespace Graph.Engine.Graphs;

/// <summary>
/// What a node returns: an update, a <see cref="Command{TUpdate}"/>, or nothing (<see cref="None"/>).
/// Both an update and a command convert implicitly, so node lambdas simply return either.
/// </summary>
/// <typeparam name="TUpdate">The graph's update type.</typeparam>
public readonly struct NodeResult<TUpdate>
{
    private readonly TUpdate update;
    private readonly byte kind; // 0 none, 1 update, 2 command

    private NodeResult(TUpdate update, Command<TUpdate>? command, byte kind)
    {
        this.update = update;
        Command = command;
        this.kind = kind;
    }

    /// <summary>A result with no update and no goto.</summary>
    public static NodeResult<TUpdate> None => default;

    /// <summary>The command, when the node returned one.</summary>
    public Command<TUpdate>? Command { get; }

    /// <summary>Whether there is an update to reduce (a plain update, or a command with an update).</summary>
    public bool HasUpdate => kind == 1 || (kind == 2 && Command!.HasUpdate);

    /// <summary>The update (meaningful only when <see cref="HasUpdate"/> is true).</summary>
    public TUpdate Update => kind == 2 ? Command!.Update : update;

    /// <summary>Wraps an update.</summary>
    /// <param name="update">The update.</param>
    /// <returns>The result.</returns>
    public static NodeResult<TUpdate> FromUpdate(TUpdate update) => new(update, null, 1);

    /// <summary>Wraps a command.</summary>
    /// <param name="command">The command.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    public static NodeResult<TUpdate> FromCommand(Command<TUpdate> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new(default!, command, 2);
    }

    /// <summary>The update's contents ("none" when the node returned nothing), or the command's.</summary>
    /// <returns>The text, at most a few hundred characters.</returns>
    public override string ToString() => kind switch
    {
        0 => "none",
        1 => ValueText.Format(update),
        _ => Command!.ToString(),
    };

    /// <summary>Wraps an update.</summary>
    /// <param name="update">The update.</param>
    public static implicit operator NodeResult<TUpdate>(TUpdate update) => FromUpdate(update);

    /// <summary>Wraps a command.</summary>
    /// <param name="command">The command.</param>
    public static implicit operator NodeResult<TUpdate>(Command<TUpdate> command) => FromCommand(command);
}
