# Called by `sam build` (template.yaml: BuildMethod makefile) in a copy of the repository, with
# ARTIFACTS_DIR set to the folder whose content becomes the Lambda function's code.
build-BulwarkFunction:
	JAVA_HOME=$$(bin/java-home) && export JAVA_HOME && \
	  mvn -B -ntp -q -pl functions -am package -DskipTests && \
	  cd "$(ARTIFACTS_DIR)" && "$$JAVA_HOME/bin/jar" xf "$(CURDIR)/functions/target/bulwark-aws.jar"

# TrainFunction is the same jar (the dispatcher routes by path): the same recipe, into its own ARTIFACTS_DIR.
build-TrainFunction: build-BulwarkFunction

.PHONY: build-BulwarkFunction build-TrainFunction
