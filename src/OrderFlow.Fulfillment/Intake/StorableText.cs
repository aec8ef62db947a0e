namespace OrderFlow.Fulfillment.Intake;

/// <summary>
/// Text a sender may not store: NUL (PostgreSQL's text and jsonb refuse it), other C0 control characters and DEL (log and
/// header injection, terminal escapes) and unpaired UTF-16 surrogates (not encodable as UTF-8). Found by fuzzing intake.
/// </summary>
public static class StorableText
{
    public const string Problem = "This field contains control characters or invalid Unicode.";

    public static bool IsStorable(string? value)
    {
        if (value is null)
        {
            return true;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x20 || c == 0x7F)
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
