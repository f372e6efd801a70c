using System.Diagnostics.CodeAnalysis;
using Graph.Engine.Testing;
using Graph.Engine.Tests.Durability;
using Graph.Engine.Tests.Graphs;
using Graph.Engine.Tests.Graphs.Control;
using Graph.Engine.Tests.Graphs.Heartbeats;
using Graph.Engine.Tests.Graphs.Streaming;

// The fixtures below derive from these concrete fixtures on purpose: each runs both with NUnit's context and without one.
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.GraphRunTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.StepDispatchTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.NodeParallelismTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.RunTimeoutTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.NodeTimeoutTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.RetryPolicyTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.NodeSupervisionTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.ActorTaskExecutorTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.Heartbeats.IdleTimeoutTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.Streaming.StreamModesTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.Streaming.StreamBackPressureTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.Streaming.StreamReattachTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.Control.ErrorHandlerTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.Control.BranchFailureTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.Control.DrainTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Graphs.Control.DurableTimerTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Durability.DurableRunTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Durability.InterruptTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Durability.RunCancellationTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Durability.MultitaskStrategyTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Durability.SupervisedRunTests")]
[assembly: SuppressMessage("Structure", "NUnit1034", Justification = "Runs again without a context below", Scope = "type", Target = "~T:Graph.Engine.Tests.Durability.TimeTravelTests")]

namespace Graph.Engine.Tests.Support.WithoutContext;

// NUnit runs every test under a SynchronizationContext of its own, so a graph test never takes the path where the
// calling thread runs the run's steps itself (RunTrampoline). Each class here runs one graph or durability fixture a
// second time with no context, as a console app or a server request calls the engine. Store fixtures run on the
// in-memory store (and SQLite for durability), to keep the suite lean.
[WithoutSynchronizationContext]
public sealed class GraphRunTestsWithoutContext : GraphRunTests;

[WithoutSynchronizationContext]
public sealed class StepDispatchTestsWithoutContext : StepDispatchTests;

[WithoutSynchronizationContext]
public sealed class NodeParallelismTestsWithoutContext : NodeParallelismTests;

[WithoutSynchronizationContext]
public sealed class RunTimeoutTestsWithoutContext : RunTimeoutTests;

[WithoutSynchronizationContext]
public sealed class NodeTimeoutTestsWithoutContext : NodeTimeoutTests;

[WithoutSynchronizationContext]
public sealed class RetryPolicyTestsWithoutContext : RetryPolicyTests;

[WithoutSynchronizationContext]
public sealed class NodeSupervisionTestsWithoutContext : NodeSupervisionTests;

[WithoutSynchronizationContext]
public sealed class ActorTaskExecutorTestsWithoutContext : ActorTaskExecutorTests;

[WithoutSynchronizationContext]
public sealed class IdleTimeoutTestsWithoutContext : IdleTimeoutTests;

[WithoutSynchronizationContext]
public sealed class StreamModesTestsWithoutContext : StreamModesTests;

[WithoutSynchronizationContext]
public sealed class StreamBackPressureTestsWithoutContext : StreamBackPressureTests;

[WithoutSynchronizationContext]
public sealed class StreamReattachTestsWithoutContext : StreamReattachTests;

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
public sealed class ErrorHandlerTestsWithoutContext(StoreKind kind) : ErrorHandlerTests(kind);

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
public sealed class BranchFailureTestsWithoutContext(StoreKind kind) : BranchFailureTests(kind);

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
public sealed class DrainTestsWithoutContext(StoreKind kind) : DrainTests(kind);

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
public sealed class DurableTimerTestsWithoutContext(StoreKind kind) : DurableTimerTests(kind);

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public sealed class DurableRunTestsWithoutContext(StoreKind kind) : DurableRunTests(kind);

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public sealed class InterruptTestsWithoutContext(StoreKind kind) : InterruptTests(kind);

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public sealed class RunCancellationTestsWithoutContext(StoreKind kind) : RunCancellationTests(kind);

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public sealed class MultitaskStrategyTestsWithoutContext(StoreKind kind) : MultitaskStrategyTests(kind);

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public sealed class SupervisedRunTestsWithoutContext(StoreKind kind) : SupervisedRunTests(kind);

[WithoutSynchronizationContext]
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public sealed class TimeTravelTestsWithoutContext(StoreKind kind) : TimeTravelTests(kind);
