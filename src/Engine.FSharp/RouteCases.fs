namespace Graph.Engine.FSharp

open System
open Microsoft.FSharp.Reflection

/// The cases of a typed route: a router returns a union and every case is mapped to a node once.
[<RequireQualifiedAccess>]
module RouteCases =
    let private sample (case: UnionCaseInfo) =
        let fieldValue (field: Reflection.PropertyInfo) =
            if field.PropertyType.IsValueType then Activator.CreateInstance field.PropertyType else null

        FSharpValue.MakeUnion(case, case.GetFields() |> Array.map fieldValue, true)

    /// Every case of the union `'Case` with the node `target` maps it to, in declaration order. `target` is called
    /// with one value per case (fields hold their type's default), so it should match on the case alone.
    /// <exception cref="T:System.ArgumentException">`'Case` is not a union, or `target` fails for a case.</exception>
    let enumerate (target: 'Case -> string) : (string * string) list =
        let caseType = typeof<'Case>

        if not (FSharpType.IsUnion(caseType, true)) then
            raise (ArgumentException($"A typed route needs an F# union of route cases; {caseType.Name} is not one.", "target"))

        [ for case in FSharpType.GetUnionCases(caseType, true) ->
              let name =
                  try
                      target (sample case :?> 'Case)
                  with e ->
                      raise (ArgumentException($"The route case {case.Name} of {caseType.Name} could not be mapped to a node: {e.Message}", "target", e))

              case.Name, name ]
