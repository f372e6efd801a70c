// Each notebook runs in its own kernel process; two at a time keep a two-core machine busy without starving the kernels.
[assembly: LevelOfParallelism(2)]
