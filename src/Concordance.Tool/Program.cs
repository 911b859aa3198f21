using Concordance.Tool;
using Concordance.Tool.CommandLine;

return await ToolCommandLine.RunAsync(args, ToolConsole.FromProcess());
