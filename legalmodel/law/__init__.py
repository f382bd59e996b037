"""Stage 2, from syntax to a checked law: a law's amendments and the law in force on a date
(history), name resolution and type checking (resolve), the checked model the later stages
read (model), and which versions of a law a command is about (versions)."""
