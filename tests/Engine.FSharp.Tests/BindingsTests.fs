module Graph.Engine.FSharp.Tests.BindingsTests

open NUnit.Framework

[<Test>]
let ``the bindings name the engine assembly they wrap`` () =
    Assert.That(Graph.Engine.FSharp.Bindings.engineAssembly, Is.EqualTo "Graph.Engine")
