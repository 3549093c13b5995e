package peerchat.log.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(id = LogFileComponent.PID, name = "Peers Chatting log file",
        description = "Writes OSGi Log Service entries to <data directory>/log/peerchat.log.")
@interface LogFileConfig {

    @AttributeDefinition(name = "Level", description = "The lowest level written to the file.",
            options = {
                @Option(label = "Error", value = "ERROR"),
                @Option(label = "Warning", value = "WARN"),
                @Option(label = "Information", value = "INFO"),
                @Option(label = "Debug", value = "DEBUG"),
                @Option(label = "Trace", value = "TRACE")
            })
    String level() default "INFO";
}
