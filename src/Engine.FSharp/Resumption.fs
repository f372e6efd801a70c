namespace Graph.Engine.FSharp

open System.Collections.Generic
open Graph.Engine.Graphs

/// How `GraphRun.resume` continues a thread (the engine's `Resume`).
[<RequireQualifiedAccess>]
type Resumption =
    /// No values: unfinished tasks run again (after a crash, a failure or a static interrupt).
    | Continue
    /// The value the one pending dynamic interrupt returns (`Resumption.value` boxes it).
    | Value of obj
    /// Values by interrupt id for several pending interrupts; those not named interrupt again.
    | ById of Map<string, obj>

/// Building resumptions.
[<RequireQualifiedAccess>]
module Resumption =
    /// `Resumption.Value` of a typed value.
    let value (v: 'T) = Resumption.Value(box v)

    /// `Resumption.ById` from `(interruptId, value)` pairs.
    let byId (values: (string * obj) list) = Resumption.ById(Map.ofList values)

    /// The engine's `Resume`.
    let toResume (resumption: Resumption) : Resume =
        match resumption with
        | Resumption.Continue -> Resume.Continue
        | Resumption.Value v -> Resume.With v
        | Resumption.ById values ->
            let d = Dictionary<string, obj>(System.StringComparer.Ordinal)
            for KeyValue(k, v) in values do
                d[k] <- v
            Resume.ById(d :> IReadOnlyDictionary<string, obj>)
