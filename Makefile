# Called by `sam build` (template.yaml: BuildMethod makefile) in a copy of the repository, with
# ARTIFACTS_DIR set to the folder whose content becomes the Lambda function's code.
build-BulwarkFunction:
	JAVA_HOME=$$(bin/java-home) && export JAVA_HOME && \
	  mvn -B -ntp -q -pl functions -am package -DskipTests && \
	  cd "$(ARTIFACTS_DIR)" && "$$JAVA_HOME/bin/jar" xf "$(CURDIR)/functions/target/bulwark-aws.jar"

.PHONY: build-BulwarkFunction
