package dev.jscore;

/**
 * One item of {@link JsCoreClient#batch}: an {@link Eval} or a {@link Call}. Each item has an
 * id that is echoed on its {@link BatchResult}; by default its index as a string.
 */
public sealed interface BatchItem permits Eval, Call {
  /** The item's id, or {@code null} for "its index in the batch". */
  String id();
}
