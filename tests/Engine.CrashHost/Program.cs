// A process for the crash-resume tests (tests/Engine.CSharp.Tests/Durability/CrashResumeTests.cs).
//   crash  <db> <thread> <effects> <gate>: runs the thread; the "slow" node waits until its siblings' writes are
//          committed, writes the gate file, prints GATE and never finishes: the test kills the process.
//   resume <db> <thread> <effects> <gate>: resumes the thread (slow finishes) and prints RESULT <state>.
//   plain  <db> <thread> <effects> <gate>: runs the thread without a crash and prints RESULT <state>.
// Every node appends its name to <effects> when it runs, so the test can count side effects.
using Graph.Engine.Checkpoints;
using Graph.Engine.CrashHost;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: crash|resume|plain <db> <thread> <effects> <gate>");
    return 2;
}

var (mode, db, thread, effects, gate) = (args[0], args[1], args[2], args[3], args[4]);
await using var sqlite = SqliteCheckpointer.Open(db);
var store = new WriteWatchingCheckpointer(sqlite);
var siblingsStored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
store.WritesStored += nodes =>
{
    if (nodes.Contains("fast1") && nodes.Contains("fast2"))
    {
        siblingsStored.TrySetResult();
    }
};

var effectsLock = new object();
void Effect(string node)
{
    // Sibling nodes run in parallel: one append at a time (two opens of the file for appending would collide).
    lock (effectsLock)
    {
        File.AppendAllText(effects, node + Environment.NewLine);
    }
}

var graph = new StateGraph<IReadOnlyList<string>, IReadOnlyList<string>>(Reducers.Append<string>())
    .AddNode("a", s => { Effect("a"); return (IReadOnlyList<string>)["a"]; })
    .AddNode("fast1", s => { Effect("fast1"); return (IReadOnlyList<string>)["fast1"]; })
    .AddNode("fast2", s => { Effect("fast2"); return (IReadOnlyList<string>)["fast2"]; })
    .AddNode("slow", async (s, ctx) =>
    {
        Effect("slow");
        if (mode == "crash")
        {
            await siblingsStored.Task.ConfigureAwait(false);
            File.WriteAllText(gate, "in flight");
            Console.WriteLine("GATE");
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken).ConfigureAwait(false);
        }

        return (IReadOnlyList<string>)["slow"];
    })
    .AddNode("end", s => { Effect("end"); return (IReadOnlyList<string>)[$"end({s.Count})"]; })
    .AddEdge(StateGraph.Start, "a")
    .AddEdge("a", "fast1")
    .AddEdge("a", "fast2")
    .AddEdge("a", "slow")
    .AddJoin(["fast1", "fast2", "slow"], "end")
    .AddEdge("end", StateGraph.End);
await using var compiled = graph.Compile(new GraphCompileOptions { Checkpointer = store, Durability = CheckpointDurability.PerStepSync });
var options = new RunOptions { ThreadId = thread };
var result = mode == "resume"
    ? (await compiled.ResumeAsync(thread, null, options).ConfigureAwait(false)).State
    : await compiled.InvokeAsync([], options).ConfigureAwait(false);
Console.WriteLine("RESULT " + string.Join(",", result));
return 0;
