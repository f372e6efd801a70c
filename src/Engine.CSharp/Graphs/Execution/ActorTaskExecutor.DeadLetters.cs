using Graph.Engine.Actors;

namespace Graph.Engine.Graphs;

/// <summary>The executor's watch on the actor system's dead letters: a task that never ran, or never reported, is reported to its run.</summary>
internal sealed partial class ActorTaskExecutor<TState, TUpdate> : IObserver<DeadLetter>
{
    /// <summary>
    /// A task whose message was dead-lettered never ran, or never reported: tell its run. The one exception is the
    /// instance fault a node actor fails with after its task was reported (<see cref="NodeInstanceFaultException"/>).
    /// </summary>
    public void OnNext(DeadLetter value)
    {
        if (value.Message is NodeTask<TState, TUpdate> message
            && !(value.Reason == DeadLetterReason.HandlerFaulted && value.Exception is NodeInstanceFaultException)
            && ReferenceEquals(message.Run.Model, model)
            && !message.Run.IsFinished)
        {
            var task = message.Task;
            message.Run.OnTaskCompleted(
                task.Index,
                default,
                new InvalidOperationException($"Node '{task.Node.Name}' could not run its task of step {task.Step}: the node actor '{value.Recipient}' dead-lettered it ({value.Reason})."));
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}
