using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>One independent Redis node of the lock: its name for reports, and the connection that reaches it.</summary>
internal sealed class RedlockNode
{
    public RedlockNode(string name, IConnectionMultiplexer connection, bool ownsConnection)
    {
        Name = name;
        Connection = connection;
        Database = connection.GetDatabase();
        OwnsConnection = ownsConnection;
    }

    public string Name { get; }

    public IConnectionMultiplexer Connection { get; }

    public IDatabaseAsync Database { get; }

    /// <summary>True when the engine opened the connection and must dispose it.</summary>
    public bool OwnsConnection { get; }

    public override string ToString() => Name;
}
