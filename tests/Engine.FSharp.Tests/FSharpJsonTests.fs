module Graph.Engine.FSharp.Tests.FSharpJsonTests

open System
open System.Text
open NUnit.Framework
open Graph.Engine.Checkpoints
open Graph.Engine.FSharp

type Color =
    | Red
    | Green
    | Blue

type Shape =
    | Circle of radius: decimal
    | Rect of width: int * height: int
    | Labelled of string * Shape
    | Dot

type Tree =
    | Leaf of int
    | Node of Tree * Tree

type Person =
    { Name: string
      Age: int option
      Tags: string list
      Scores: Map<int, string>
      Favourite: Color
      Nickname: string option option }

type State =
    { People: Person list
      Shapes: Shape list
      ById: Map<int, Person>
      Flags: Set<string>
      Result: Result<int, string>
      Pair: int * string
      Pending: Shape option }

let private serializer = FSharpJson.serializer

let private bytesOf<'T> (value: 'T) = CheckpointSerializerExtensions.Serialize(serializer, value)

let private jsonOf<'T> (value: 'T) = Encoding.UTF8.GetString(bytesOf value)

let private roundTrip<'T> (value: 'T) : 'T =
    serializer.Deserialize<'T>(ReadOnlySpan<byte>(bytesOf value))

[<FsCheck.NUnit.Property(MaxTest = 300)>]
let ``any state of records, unions, options, lists, maps and sets round-trips`` (state: State) = roundTrip state = state

[<FsCheck.NUnit.Property(MaxTest = 300)>]
let ``nested options round-trip, keeping Some None apart from None`` (value: int option option option) =
    roundTrip value = value

[<FsCheck.NUnit.Property(MaxTest = 200)>]
let ``recursive unions round-trip`` (tree: Tree) = roundTrip tree = tree

[<FsCheck.NUnit.Property(MaxTest = 200)>]
let ``string options round-trip, Some null included`` (value: string option list) = roundTrip value = value

[<Test>]
let ``a fieldless case is written as its name and a case with fields as Case and Fields`` () =
    Assert.That(jsonOf Red, Is.EqualTo "\"Red\"")
    Assert.That(jsonOf (Rect(2, 3)), Is.EqualTo """{"Case":"Rect","Fields":[2,3]}""")

[<Test>]
let ``options are null or the bare value, and wrapped only when the value alone would read as None`` () =
    Assert.That(jsonOf (None: int option), Is.EqualTo "null")
    Assert.That(jsonOf (Some 3), Is.EqualTo "3")
    Assert.That(jsonOf (Some(None: int option)), Is.EqualTo """{"$some":null}""")
    Assert.That(jsonOf (Some(null: string)), Is.EqualTo """{"$some":null}""")

[<Test>]
let ``maps with string keys are objects and other maps are pairs`` () =
    Assert.That(jsonOf (Map [ "a", 1 ]), Is.EqualTo """{"a":1}""")
    Assert.That(jsonOf (Map [ 1, "a" ]), Is.EqualTo """[[1,"a"]]""")
    let map = Map [ "a", [ Some 1.5; None ] ]
    Assert.That(roundTrip map = map, Is.True)

[<Test>]
let ``a record missing an option field reads it as None`` () =
    let json = """{"Name":"ada","Tags":[],"Scores":[],"Favourite":"Blue"}"""
    let person = serializer.Deserialize<Person>(ReadOnlySpan<byte>(Encoding.UTF8.GetBytes json))
    Assert.That(person.Age, Is.EqualTo(None: int option))
    Assert.That(person.Favourite, Is.EqualTo Blue)

[<Test>]
let ``a record missing a required field fails naming the field and the type`` () =
    let json = """{"Name":"ada"}"""
    let error =
        Assert.Throws<CheckpointStoreException>(fun () ->
            serializer.Deserialize<Person>(ReadOnlySpan<byte>(Encoding.UTF8.GetBytes json)) |> ignore)
    Assert.That(error.Message, Does.Contain("Tags").And.Contain("Person"))

[<Test>]
let ``an unknown union case fails naming the case and the type`` () =
    let error =
        Assert.Throws<CheckpointStoreException>(fun () ->
            serializer.Deserialize<Color>(ReadOnlySpan<byte>(Encoding.UTF8.GetBytes "\"Purple\"")) |> ignore)
    Assert.That(error.Message, Does.Contain("Purple").And.Contain("Color"))

[<Test>]
let ``a checkpoint of one F# state read as another names both types`` () =
    let checkpoint =
        Checkpoint(
            ThreadId = "t",
            Id = 1L,
            Step = 0,
            StateType = Checkpoint.StateTypeNameOf typeof<Shape list>,
            State = ReadOnlyMemory(bytesOf [ Dot; Circle 1.5m ]),
            Metadata = CheckpointMetadata(Source = CheckpointSource.Loop),
            CreatedAt = DateTimeOffset.UnixEpoch
        )
    Assert.That(checkpoint.ReadState<Shape list>(serializer) = [ Dot; Circle 1.5m ], Is.True)
    let error = Assert.Throws<CheckpointStoreException>(fun () -> checkpoint.ReadState<Person>(serializer) |> ignore)
    Assert.That(error.Message, Does.Contain("FSharpList<").And.Contain("+Person"))

[<Test>]
let ``the options are frozen and usable with other converters`` () =
    Assert.That(FSharpJson.options.IsReadOnly, Is.True)
    let camel = Json.JsonSerializerOptions(PropertyNamingPolicy = Json.JsonNamingPolicy.CamelCase)
    let custom = FSharpJson.serializerWith camel
    let json = Encoding.UTF8.GetString(CheckpointSerializerExtensions.Serialize(custom, { Name = "a"; Age = Some 1; Tags = []; Scores = Map.empty; Favourite = Red; Nickname = None }))
    Assert.That(json, Does.StartWith """{"name":"a","age":1""")
