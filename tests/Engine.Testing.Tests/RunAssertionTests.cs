using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Tests;

public class RunAssertionTests
{
    private static StateGraph<int, int> Chain() =>
        new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("one", (int _) => 1)
            .AddNode("two", (int _) => 2)
            .AddNode("three", (int _) => 3)
            .AddEdge(StateGraph.Start, "one")
            .AddEdge("one", "two")
            .AddEdge("two", "three")
            .AddEdge("three", StateGraph.End);

    [Test]
    public void ShouldRunSteps_Diverges_MessageNamesTheStepAndShowsTheRun()
    {
        using var test = GraphTest.Create(Chain());
        var run = test.Run(0);
        var error = Assert.Throws<AssertionException>(() => run.ShouldRunSteps("one", "three", "two"));
        Assert.That(error!.Message, Does.Contain("diverged at step 2: expected [three] but it ran [two]"));
        Assert.That(error.Message, Does.Contain("step 1: [one -> 1] state 1").And.Contain("step 3: [three -> 3] state 6"));
    }

    [Test]
    public void ShouldHaveStateAfter_WrongState_NamesTheStep()
    {
        using var test = GraphTest.Create(Chain());
        var error = Assert.Throws<AssertionException>(() => test.Run(0).ShouldHaveStateAfter(2, 4));
        Assert.That(error!.Message, Does.Contain("diverged at step 2: expected the state 4 but it was 3"));
    }

    [Test]
    public void ShouldHaveUpdates_MissingUpdate_SaysWhichOne()
    {
        using var test = GraphTest.Create(Chain());
        var error = Assert.Throws<AssertionException>(() => test.Run(0).ShouldHaveUpdates("two", 2, 2));
        Assert.That(error!.Message, Does.Contain("Node 'two' diverged at its update 2 (the end of the run): expected 2 but got no more updates"));
    }

    [Test]
    public void ShouldFinishWith_RunFailed_ShowsTheFailure()
    {
        using var test = GraphTest.Create(Chain());
        test.Stub("two", _ => throw new InvalidOperationException("boom"));
        var error = Assert.Throws<AssertionException>(() => test.Run(0).ShouldFinishWith(6));
        Assert.That(error!.Message, Does.Contain("NodeFailedException").And.Contain("boom"));
    }

    [Test]
    public void InterruptsAndCheckpoints_AreRecorded_AndResumeFinishes()
    {
        var graph = Chain();
        using var test = GraphTest.Create(graph, options: new GraphCompileOptions { Checkpointer = new InMemoryCheckpointer(), InterruptBefore = ["three"] });
        var first = test.Run(0, new RunOptions { ThreadId = "t1" });
        first.ShouldBeInterruptedAt("three");
        first.ShouldRunSteps("one", "two").ShouldHaveSavedCheckpoints(first.Checkpoints.Count);
        Assert.That(first.Checkpoints, Is.Not.Empty);
        first.ShouldFailWith<GraphInterruptedException>();

        var resumed = test.Resume("t1");
        resumed.ShouldFinishWith(6);
        Assert.That(resumed.Steps.Select(s => s.Step), Is.EqualTo(new[] { 3 }));
        Assert.Throws<AssertionException>(() => resumed.ShouldHaveSavedCheckpoints(resumed.Checkpoints.Count + 1));
    }
}
