using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

public class RouteTests
{
    [Test]
    public void To_SeveralNodesAndSends_ExposeTargetsAndSendsInOrder()
    {
        var route = Route.To("b", "a").And(Route.Sends(Send.To("w", 1), Send.To("w", 2))).And("c");

        Assert.That(route.Targets, Is.EqualTo(new[] { "b", "a", "c" }));
        Assert.That(route.SendList, Is.EqualTo(new[] { new Send("w", 1), new Send("w", 2) }));
        Assert.That(route.ToString(), Is.EqualTo("b, a, c, Send(w), Send(w)"));
    }

    [Test]
    public void End_TargetsTheEndNode()
    {
        Assert.That(Route.End.Targets, Is.EqualTo(new[] { StateGraph.End }));
        Assert.That(Route.End, Is.EqualTo(Route.To(StateGraph.End)));
        Assert.That(default(Route).ToString(), Is.EqualTo("(nothing)"));
    }

    [Test]
    public void ImplicitConversions_FromStringAndSend_MakeOneElementRoutes()
    {
        Route fromString = "x";
        Route fromSend = Send.To("w", "arg");

        Assert.That(fromString.Targets, Is.EqualTo(new[] { "x" }));
        Assert.That(fromSend.SendList.Single(), Is.EqualTo(new Send("w", "arg")));
    }
}
