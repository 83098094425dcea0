namespace AccountTransfers.Banking;

public enum TransferOutcome
{
    Done,

    // Not enough money in the source account.
    Declined,
}
