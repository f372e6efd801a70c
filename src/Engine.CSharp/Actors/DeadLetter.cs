using System.Diagnostics;

namespace Graph.Engine.Actors;

/// <summary>A message that was not processed, with the reason.</summary>
/// <param name="Recipient">The path of the actor the message was for.</param>
/// <param name="Message">The message.</param>
/// <param name="Reason">Why it was not processed.</param>
/// <param name="Exception">The handler's exception when <paramref name="Reason"/> is <see cref="DeadLetterReason.HandlerFaulted"/>.</param>
/// <param name="Timestamp">When it was dead-lettered, from the system's <see cref="TimeProvider"/>.</param>
[DebuggerDisplay("{Reason} {Recipient}: {Message}")]
public sealed record DeadLetter(string Recipient, object? Message, DeadLetterReason Reason, Exception? Exception, DateTimeOffset Timestamp);
