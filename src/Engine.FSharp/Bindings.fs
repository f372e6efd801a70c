namespace Graph.Engine.FSharp

/// Version information for the F# bindings.
[<RequireQualifiedAccess>]
module Bindings =
    /// The assembly name of the engine these bindings wrap.
    let engineAssembly = typeof<Graph.Engine.EngineInfo>.Assembly.GetName().Name
