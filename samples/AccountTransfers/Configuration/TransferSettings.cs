namespace AccountTransfers.Configuration;

// The "AccountTransfers" configuration section, from the command line (see Help) or the environment.
public sealed class TransferSettings
{
    public const string Section = "AccountTransfers";

    // Branches are separate processes in real life: each gets its own engine and its own connections here.
    public int Branches { get; set; } = 3;

    // Concurrent workers per branch.
    public int Tellers { get; set; } = 4;

    // Transfers per teller; every other one uses the two-account lock.
    public int Transfers { get; set; } = 50;

    public int Accounts { get; set; } = 8;

    public long OpeningCents { get; set; } = 100_000;

    public int Seed { get; set; } = 11;

    public bool WithoutLock { get; set; }

    // Kleppmann's paused-holder scenario instead of the transfer run; with NoFencing, without fencing tokens.
    public bool PauseHolder { get; set; }

    public bool NoFencing { get; set; }

    // Comma-separated lock nodes; embedded Garnet nodes when empty.
    public string? Nodes { get; set; }

    // The Redis that holds the balances; an embedded Garnet node when empty.
    public string? Ledger { get; set; }

    public bool Help { get; set; }

    public static readonly IDictionary<string, string> Switches = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--branches"] = Section + ":Branches",
        ["--tellers"] = Section + ":Tellers",
        ["--transfers"] = Section + ":Transfers",
        ["--accounts"] = Section + ":Accounts",
        ["--seed"] = Section + ":Seed",
        ["--without-lock"] = Section + ":WithoutLock",
        ["--pause-holder"] = Section + ":PauseHolder",
        ["--no-fencing"] = Section + ":NoFencing",
        ["--nodes"] = Section + ":Nodes",
        ["--ledger"] = Section + ":Ledger",
        ["--help"] = Section + ":Help",
        ["-h"] = Section + ":Help",
    };

    public const string Usage = """
        Concurrent transfers between accounts under [DistributedLock("key:<accountId>", TtlMs=1000)]; checks that the
        total balance is conserved.

        Usage: dotnet run --project samples/AccountTransfers -- [options]

          --branches <n>    branches, each with its own lock engine (default 3)
          --tellers <n>     concurrent tellers per branch (default 4)
          --transfers <n>   transfers per teller (default 50)
          --accounts <n>    accounts, 1000.00 each to start (default 8)
          --seed <n>        seed for accounts and amounts (default 11)
          --without-lock    the same transfers with no lock, to see updates get lost
          --pause-holder    instead: a holder stalls past its lease while another takes the lock and writes;
                            the fenced ledger refuses the stale write (add --no-fencing to see it land)
          --nodes <a,b,c>   lock nodes to use instead of three embedded Garnet nodes
          --ledger <host>   the Redis holding the balances instead of an embedded Garnet node

        Exit code: 0 when the total is conserved, 1 when it is not, 2 for bad options.
        """;

    // Flags may stand alone ("--without-lock"); the configuration reader wants a value after every switch.
    public static string[] Normalize(IReadOnlyList<string> args)
    {
        var flags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "--without-lock", "--pause-holder", "--no-fencing", "--help", "-h" };
        var normalized = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            normalized.Add(args[i]);
            if (flags.Contains(args[i]) && (i + 1 == args.Count || args[i + 1].StartsWith('-')))
            {
                normalized.Add("true");
            }
        }

        return normalized.ToArray();
    }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Branches < 1 || Tellers < 1 || Transfers < 0)
        {
            problems.Add("--branches and --tellers must be at least 1, --transfers at least 0.");
        }

        if (Accounts < 2)
        {
            problems.Add("--accounts must be at least 2.");
        }

        return problems;
    }
}
