using System.Security.Cryptography;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Postgres;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>The conformance suite against a real PostgreSQL server, each test in a schema of its own; then what only this store does.</summary>
[TestFixture]
public sealed class PostgresCheckpointerTests : CheckpointerConformanceTests
{
    private readonly List<string> schemas = [];
    private string schema = null!;

    private PostgresCheckpointer Postgres => (PostgresCheckpointer)Store;

    [Test]
    public async Task PutAsync_ParentIsNotTheLatest_IsRefusedByTheFence()
    {
        await PutChainAsync("t", 4);

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => Store.PutAsync(Make("t", 5, parent: 3, step: 4), CheckpointDurability.PerStepSync));

        Assert.That(exception!.Message, Does.Contain("Checkpoint 5 of thread 't' follows checkpoint 3").And.Contain("latest checkpoint is 4").And.Contain("fence"));
        Assert.That((await Store.ListAsync("t")).Select(c => c.Id), Is.EqualTo(new long[] { 4, 3, 2, 1 }));
    }

    [Test]
    public async Task PutAsync_StaleWriterInAnotherProcess_IsRefusedAndItsLaterWritesNeverEnter()
    {
        await using var other = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);
        await PutChainAsync("t", 3);
        await Store.PutAsync(Make("t", 4, parent: 3, step: 3), CheckpointDurability.PerStepSync);
        await Store.PutAsync(Make("t", 5, parent: 4, step: 4), CheckpointDurability.PerStepSync);

        var stale = other.PutAsync(Make("t", 4, parent: 3, step: 30), CheckpointDurability.Async);
        var staleNext = other.PutAsync(Make("t", 6, parent: 4, step: 40), CheckpointDurability.Async);

        Assert.That(async () => await stale, Throws.InstanceOf<CheckpointStoreException>().With.Message.Contains("not newer"));
        Assert.That(async () => await staleNext, Throws.InstanceOf<CheckpointStoreException>().With.Message.Contains("latest checkpoint is 5"));
        var history = await other.ListAsync("t");
        Assert.That(history.Select(c => (c.Id, c.ParentId)), Is.EqualTo(new (long, long?)[] { (5, 4), (4, 3), (3, 2), (2, 1), (1, null) }));
        Assert.That(history.Select(c => c.Step), Does.Not.Contain(30).And.Not.Contain(40));
    }

    [Test]
    public async Task PutAsync_ForkOfAnOlderCheckpoint_StartsABranch()
    {
        await PutChainAsync("t", 4);

        await Store.PutAsync(Make("t", 5, parent: 2, step: 1) with { Metadata = new CheckpointMetadata { Source = CheckpointSource.Fork } }, CheckpointDurability.PerStepSync);
        await Store.PutAsync(Make("t", 6, parent: 5, step: 2), CheckpointDurability.Async);

        Assert.That((await Store.ListAsync("t")).Select(c => c.ParentId), Is.EqualTo(new long?[] { 5, 2, 3, 2, 1, null }));
    }

    [Test]
    public async Task PutAsync_ABatchWithOneRefusedPut_StoresTheOthers()
    {
        await PutChainAsync("a", 2);
        var puts = new List<Task>();
        for (var round = 0; round < 5; round++)
        {
            puts.Add(Store.PutAsync(Make($"b{round}", 1), CheckpointDurability.Async));
        }

        var refused = Store.PutAsync(Make("a", 2), CheckpointDurability.Async);
        puts.Add(Store.PutAsync(Make("a", 3, parent: 2, step: 2), CheckpointDurability.Async));
        puts.Add(Store.PutWritesAsync("a", 3, [new PendingWrite("x", "x", PendingWriteKind.Update, new byte[] { 1 })]));

        await Task.WhenAll(puts).WaitAsync(Wait.Timeout);
        Assert.That(async () => await refused, Throws.InstanceOf<CheckpointStoreException>());
        Assert.That((await Store.GetAsync("a"))!.PendingWrites, Has.Count.EqualTo(1));
        Assert.That(await Store.ListThreadsAsync(), Has.Count.EqualTo(6));
    }

    [Test]
    public async Task OpenAsync_EightOpenersOfANewSchemaAtOnce_AllSucceed()
    {
        var fresh = PostgresServer.NewSchema();
        schemas.Add(fresh);
        using var start = new Barrier(8);
        var opens = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait(Wait.Timeout);
            return await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, fresh);
        })).ToList();

        var stores = await Task.WhenAll(opens).WaitAsync(Wait.Timeout);

        await stores[0].PutAsync(Make("t", 1), CheckpointDurability.PerStepSync);
        Assert.That((await stores[7].GetAsync("t"))!.Id, Is.EqualTo(1));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Test]
    public async Task OpenAsync_SchemaOfSomethingElseOrNewer_IsRefusedUntouched()
    {
        var foreign = PostgresServer.NewSchema();
        schemas.Add(foreign);
        await PostgresServer.ScalarAsync($"CREATE SCHEMA {foreign}; CREATE TABLE {foreign}.customers (id int)");
        await PostgresServer.ScalarAsync($"UPDATE {schema}.graph_schema SET value = '99' WHERE name = 'version'");

        var notOurs = await Assert.ThrowsAsync<CheckpointStoreException>(() => PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, foreign));
        var newer = await Assert.ThrowsAsync<CheckpointStoreException>(() => PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema));

        Assert.That(notOurs!.Message, Does.Contain("not a Graph checkpoint store").And.Contain(foreign));
        Assert.That(newer!.Message, Does.Contain("version 99"));
        Assert.That(await PostgresServer.ScalarAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{foreign}'"), Is.EqualTo(1));
        Assert.That(async () => await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, "Bad-Name"), Throws.ArgumentException.With.Message.Contains("Bad-Name"));
    }

    [Test]
    public async Task GetAsync_StateOrRowChangedInTheDatabase_ThrowsNamingThreadAndCheckpoint()
    {
        await PutChainAsync("t", 2);
        await PostgresServer.ScalarAsync($"UPDATE {schema}.blobs SET data = '\\x07000000'::bytea WHERE hash = (SELECT state_hash FROM {schema}.checkpoints WHERE thread_key = {PostgresServer.ThreadKey(schema, "t")} AND id = 2)");

        var state = await Assert.ThrowsAsync<CheckpointStoreException>(() => Store.GetAsync("t"));
        await PostgresServer.ScalarAsync($"UPDATE {schema}.checkpoints SET step = 9 WHERE thread_key = {PostgresServer.ThreadKey(schema, "t")} AND id = 1");
        var row = await Assert.ThrowsAsync<CheckpointStoreException>(() => Store.GetAsync("t", 1));

        Assert.That(state!.Message, Does.Contain("Checkpoint 2 of thread 't' is damaged").And.Contain("SHA-256"));
        Assert.That(row!.Message, Does.Contain("Checkpoint 1 of thread 't' is damaged").And.Contain("digest"));
    }

    [Test]
    public async Task PruneAndDelete_ChunkedStatesSharedByThreads_LeaveTheStoreConsistent()
    {
        var big = RandomNumberGenerator.GetBytes(20 * 1024);
        for (var id = 1; id <= 6; id++)
        {
            var state = big.ToArray();
            state[id * 1000] ^= 0xFF;
            await Store.PutAsync(Make("t", id, parent: id == 1 ? null : id - 1, step: id, state: state), CheckpointDurability.Async);
        }

        await Store.CopyThreadAsync("t", "copy");
        Assert.That(await Postgres.CheckConsistencyAsync(), Has.Property("IsConsistent").True);

        Assert.That(await Store.PruneAsync("t", 2), Is.EqualTo(4));
        await Store.DeleteThreadAsync("copy");

        var report = await Postgres.CheckConsistencyAsync();
        Assert.That(report.IsConsistent, Is.True, report.ToString());
        Assert.That((await Store.GetAsync("t", 6))!.State.Length, Is.EqualTo(big.Length));
        Assert.That(await PostgresServer.ScalarAsync($"SELECT count(*) FROM {schema}.blobs"), Is.EqualTo(2));
        var (before, after) = await Postgres.CompactAsync();
        Assert.That(after, Is.LessThanOrEqualTo(before));
    }

    [Test]
    public async Task ApplyAsync_PayloadsOverwrittenInTheDatabase_DecidesWithoutReadingThem()
    {
        for (var id = 1; id <= 5; id++)
        {
            var state = new byte[10 * 1024];
            state[id] = (byte)id;
            await Store.PutAsync(Make("t", id, parent: id == 1 ? null : id - 1, step: id, state: state), CheckpointDurability.PerStepSync);
            await Store.PutWritesAsync("t", id, [new PendingWrite("w", "w", PendingWriteKind.Update, new byte[1000])]);
        }

        await PostgresServer.ScalarAsync($"UPDATE {schema}.chunks SET data = decode(repeat('ff', length(data)), 'hex'); UPDATE {schema}.writes SET payload = decode(repeat('ff', length(payload)), 'hex')");

        var result = await CheckpointRetention.ApplyAsync(Store, new RetentionPolicy { MaxBytesPerThread = 2 * ((10 * 1024) + 1000) });

        Assert.That(result.CheckpointsDeleted, Is.EqualTo(3), "sizes from lengths and the chunk manifest: each checkpoint counts 10 KiB + 1,000 bytes");
        Assert.That(async () => await Store.ListAsync("t"), Throws.InstanceOf<CheckpointStoreException>(), "reading the payloads finds the damage retention never read");
        Assert.That(await PostgresServer.ScalarAsync($"SELECT string_agg(id::text, ',' ORDER BY id) FROM {schema}.checkpoints"), Is.EqualTo("4,5"));
    }

    [Test]
    public async Task InvokeAsync_Chain10RunsWithAsyncCheckpoints_SendAboutTwoStatementsPerStep()
    {
        var builder = new StateGraph<int, int>(Reducers.Replace<int>());
        for (var i = 0; i < 10; i++)
        {
            builder.AddNode($"n{i}", s => s + 1).AddEdge(i == 0 ? StateGraph.Start : $"n{i - 1}", $"n{i}");
        }

        await using var compiled = builder.AddEdge("n9", StateGraph.End).Compile(new GraphCompileOptions { Checkpointer = Store, Durability = CheckpointDurability.Async });
        const int runs = 20;
        for (var run = 0; run < runs; run++)
        {
            Assert.That(await compiled.InvokeAsync(0, new RunOptions { ThreadId = $"chain-{run}" }).WaitAsync(Wait.Timeout), Is.EqualTo(10));
        }

        var checkpoints = (await Store.ListAsync("chain-0")).Count;
        var perStep = (double)Postgres.StatementsSent / (runs * checkpoints);
        await TestContext.Out.WriteLineAsync(FormattableString.Invariant($"chain10 on PostgreSQL: {checkpoints} checkpoints per run, {perStep:F2} statements per checkpoint"));
        Assert.That(checkpoints, Is.EqualTo(11));
        Assert.That(perStep, Is.LessThanOrEqualTo(2.5), "per step: one put_checkpoint and one put_writes per task, plus one setting per batch");
    }

    protected override ICheckpointer CreateCheckpointer()
    {
        var store = PostgresServer.OpenFreshAsync(out schema).GetAwaiter().GetResult();
        schemas.Add(schema);
        return store;
    }

    protected override async Task AfterDisposeAsync()
    {
        foreach (var name in schemas)
        {
            await PostgresServer.DropAsync(name);
        }

        schemas.Clear();
    }
}
