namespace Graph.Engine.Actors;

/// <summary>An actor whose behaviour is a function.</summary>
internal sealed class DelegateActor<TMessage>(Func<TMessage, ActorContext, ValueTask> handler) : IActor<TMessage>
{
    public ValueTask ReceiveAsync(TMessage message, ActorContext context) => handler(message, context);
}
