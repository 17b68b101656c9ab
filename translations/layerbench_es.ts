<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>BackendTexts</name>
    <message>
        <source>oneDNN</source>
        <translation>oneDNN</translation>
    </message>
    <message>
        <source>oneDNN 2.6: float32 and int8 (VNNI) on this CPU, with fused post-ops</source>
        <translation>oneDNN 2.6: float32 e int8 (VNNI) en esta CPU, con post-operaciones fusionadas</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referencia</translation>
    </message>
    <message>
        <source>Plain, obviously correct kernels for every supported op, int8 included: the slow ground truth</source>
        <translation>Kernels sencillos y evidentemente correctos para cada operación admitida, int8 incluido: la verdad de referencia, lenta</translation>
    </message>
    <message>
        <source>XNNPACK</source>
        <translation>XNNPACK</translation>
    </message>
    <message>
        <source>XNNPACK (2022): float32 and int8 as on Android phones (mobile-cpu), convolutions with fused clamps</source>
        <translation>XNNPACK (2022): float32 e int8 como en los teléfonos Android (mobile-cpu), convoluciones con recortes (clamp) fusionados</translation>
    </message>
</context>
<context>
    <name>CompareCharts</name>
    <message>
        <source>No comparison yet: pick targets and press Compare</source>
        <translation>Aún no hay comparación: elija los destinos y pulse Comparar</translation>
    </message>
    <message>
        <source>%1 +%2</source>
        <translation>%1 +%2</translation>
    </message>
    <message>
        <source>latency (ms): median, p5-p95</source>
        <translation>latencia (ms): mediana, p5-p95</translation>
    </message>
    <message>
        <source>layer time (ms), matched by ONNX node</source>
        <translation>tiempo por capa (ms), emparejado por nodo ONNX</translation>
    </message>
    <message>
        <source>time per op type (ms)</source>
        <translation>tiempo por tipo de operación (ms)</translation>
    </message>
    <message>
        <source>No accuracy measured: the comparison has no reference target</source>
        <translation>Sin precisión medida: la comparación no tiene destino de referencia</translation>
    </message>
    <message>
        <source>median latency (ms)</source>
        <translation>latencia mediana (ms)</translation>
    </message>
    <message>
        <source>output SQNR against %1 (dB)</source>
        <translation>SQNR de la salida frente a %1 (dB)</translation>
    </message>
    <message>
        <source>%1 over 2x faster than %2</source>
        <translation>%1 más de 2x más rápido que %2</translation>
    </message>
    <message>
        <source>%1 1.25-2x faster</source>
        <translation>%1 1,25-2x más rápido</translation>
    </message>
    <message>
        <source>within 25 %</source>
        <translation>a menos del 25 %</translation>
    </message>
    <message>
        <source>%1 1.25-2x slower</source>
        <translation>%1 1,25-2x más lento</translation>
    </message>
    <message>
        <source>%1 over 2x slower than %2</source>
        <translation>%1 más de 2x más lento que %2</translation>
    </message>
    <message>
        <source>fastest: %1</source>
        <translation>más rápido: %1</translation>
    </message>
</context>
<context>
    <name>OpColors</name>
    <message>
        <source>Convolution</source>
        <translation>Convolución</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Lineal</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Activación</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>Normalización</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>Agrupación</translation>
    </message>
    <message>
        <source>Elementwise</source>
        <translation>Elemento a elemento</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Datos</translation>
    </message>
    <message>
        <source>Control flow</source>
        <translation>Flujo de control</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Cuantización</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Otros</translation>
    </message>
</context>
<context>
    <name>ProfileCharts</name>
    <message>
        <source>time (ms)</source>
        <translation>tiempo (ms)</translation>
    </message>
    <message>
        <source>other</source>
        <translation>otros</translation>
    </message>
    <message>
        <source>time per op type (ms)</source>
        <translation>tiempo por tipo de operación (ms)</translation>
    </message>
    <message>
        <source>latency (ms)</source>
        <translation>latencia (ms)</translation>
    </message>
    <message>
        <source>runs</source>
        <translation>ejecuciones</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>&gt;= 10 % of the time</source>
        <translation>&gt;= 10 % del tiempo</translation>
    </message>
    <message>
        <source>5-10 %</source>
        <translation>5-10 %</translation>
    </message>
    <message>
        <source>2-5 %</source>
        <translation>2-5 %</translation>
    </message>
    <message>
        <source>1-2 %</source>
        <translation>1-2 %</translation>
    </message>
    <message>
        <source>&lt; 1 %</source>
        <translation>&lt; 1 %</translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation>Aún no hay ejecuciones</translation>
    </message>
    <message>
        <source>No per-run times</source>
        <translation>Sin tiempos por ejecución</translation>
    </message>
</context>
<context>
    <name>ProgressStage</name>
    <message>
        <source>reading the model</source>
        <translation>leyendo el modelo</translation>
    </message>
    <message>
        <source>checking the model</source>
        <translation>comprobando el modelo</translation>
    </message>
    <message>
        <source>inferring shapes</source>
        <translation>infiriendo las formas</translation>
    </message>
    <message>
        <source>converting the model</source>
        <translation>convirtiendo el modelo</translation>
    </message>
    <message>
        <source>summarizing</source>
        <translation>resumiendo</translation>
    </message>
    <message>
        <source>drawing the graph</source>
        <translation>dibujando el grafo</translation>
    </message>
    <message>
        <source>laying out the graph</source>
        <translation>distribuyendo el grafo</translation>
    </message>
    <message>
        <source>indexing the graph</source>
        <translation>indexando el grafo</translation>
    </message>
    <message>
        <source>warming up</source>
        <translation>calentando</translation>
    </message>
    <message>
        <source>timing runs</source>
        <translation>cronometrando ejecuciones</translation>
    </message>
    <message>
        <source>preparing the kernels</source>
        <translation>preparando los kernels</translation>
    </message>
    <message>
        <source>running the fp32 reference</source>
        <translation>ejecutando la referencia fp32</translation>
    </message>
    <message>
        <source>calibrating</source>
        <translation>calibrando</translation>
    </message>
    <message>
        <source>comparing fp32 and quantized runs</source>
        <translation>comparando las ejecuciones fp32 y cuantizadas</translation>
    </message>
    <message>
        <source>measuring each tensor&apos;s sensitivity</source>
        <translation>midiendo la sensibilidad de cada tensor</translation>
    </message>
    <message>
        <source>measuring again</source>
        <translation>midiendo de nuevo</translation>
    </message>
    <message>
        <source>planning mixed precision</source>
        <translation>planificando la precisión mixta</translation>
    </message>
    <message>
        <source>measuring the other calibrations</source>
        <translation>midiendo las otras calibraciones</translation>
    </message>
    <message>
        <source>optimizing the graph</source>
        <translation>optimizando el grafo</translation>
    </message>
    <message>
        <source>exporting the QDQ model</source>
        <translation>exportando el modelo QDQ</translation>
    </message>
    <message>
        <source>comparing the outputs</source>
        <translation>comparando las salidas</translation>
    </message>
</context>
<context>
    <name>TargetTexts</name>
    <message>
        <source>CPU fp32</source>
        <translation>CPU fp32</translation>
    </message>
    <message>
        <source>oneDNN&apos;s fp32 kernels on this machine&apos;s CPU: the accuracy reference of a comparison</source>
        <translation>Los kernels fp32 de oneDNN en la CPU de esta máquina: la referencia de precisión de una comparación</translation>
    </message>
    <message>
        <source>Mobile CPU</source>
        <translation>CPU móvil</translation>
    </message>
    <message>
        <source>XNNPACK&apos;s kernels (fp32; int8 with encodings), the ones a phone&apos;s CPU runner uses</source>
        <translation>Los kernels de XNNPACK (fp32; int8 con codificaciones), los que usa el ejecutor de CPU de un teléfono</translation>
    </message>
    <message>
        <source>GPU fp16</source>
        <translation>GPU fp16</translation>
    </message>
    <message>
        <source>fp16 tensors as a mobile GPU stores them: fp32 kernels, every tensor and weight rounded to fp16</source>
        <translation>Tensores fp16 como los guarda una GPU móvil: kernels fp32, cada tensor y peso redondeado a fp16</translation>
    </message>
    <message>
        <source>NPU int8</source>
        <translation>NPU int8</translation>
    </message>
    <message>
        <source>Real int8 kernels with the model&apos;s encodings, as an NPU (HTP) runs a quantized model; the nodes they cannot run stay simulated</source>
        <translation>Kernels int8 reales con las codificaciones del modelo, como una NPU (HTP) ejecuta un modelo cuantizado; los nodos que no pueden ejecutar quedan simulados</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referencia</translation>
    </message>
    <message>
        <source>The plain reference kernels every backend is checked against (slow, exact)</source>
        <translation>Los kernels de referencia sencillos con los que se verifica cada backend (lentos, exactos)</translation>
    </message>
</context>
<context>
    <name>UiFormat</name>
    <message>
        <source>%1 G</source>
        <translation>%1 G</translation>
    </message>
    <message>
        <source>%1 M</source>
        <translation>%1 M</translation>
    </message>
    <message>
        <source>%1 k</source>
        <translation>%1 k</translation>
    </message>
</context>
<context>
    <name>lb::app::CompareController</name>
    <message>
        <source>The comparison failed: %1</source>
        <translation>La comparación falló: %1</translation>
    </message>
    <message>
        <source>Comparison cancelled.</source>
        <translation>Comparación cancelada.</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Abra primero un modelo.</translation>
    </message>
    <message>
        <source>Pick at least one target.</source>
        <translation>Elija al menos un destino.</translation>
    </message>
    <message>
        <source>npu-int8 needs encodings: quantize the model or import encodings first.</source>
        <translation>npu-int8 necesita codificaciones: cuantice el modelo o importe codificaciones primero.</translation>
    </message>
    <message>
        <source>%1, round %2 of %3</source>
        <translation>%1, ronda %2 de %3</translation>
    </message>
    <message>
        <source>%1 (reference outputs)</source>
        <translation>%1 (salidas de referencia)</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>No se puede leer %1: %2</translation>
    </message>
    <message>
        <source>Open Reports</source>
        <translation>Abrir informes</translation>
    </message>
    <message>
        <source>Profile reports and comparisons (*.json);;All files (*)</source>
        <translation>Informes de perfil y comparaciones (*.json);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>Comparison written to %1</source>
        <translation>Comparación escrita en %1</translation>
    </message>
    <message>
        <source>Save Comparison</source>
        <translation>Guardar comparación</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Archivos JSON (*.json)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Imágenes PNG (*.png)</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>Imágenes SVG (*.svg)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export Chart</source>
        <translation>Exportar gráfico</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>No se puede escribir %1.</translation>
    </message>
    <message>
        <source>Chart exported to %1</source>
        <translation>Gráfico exportado a %1</translation>
    </message>
    <message>
        <source>Comparing %1 targets on %2...</source>
        <translation>Comparando %1 destinos con %2...</translation>
    </message>
    <message>
        <source>Comparing 1 target on %1...</source>
        <translation>Comparando 1 destino con %1...</translation>
    </message>
    <message>
        <source>Comparison done: fastest %1, %2 ms median.</source>
        <translation>Comparación terminada: el más rápido es %1, %2 ms de mediana.</translation>
    </message>
    <message>
        <source>Reports in the comparison: %1 (%2 added).</source>
        <translation>Informes en la comparación: %1 (%2 añadidos).</translation>
    </message>
</context>
<context>
    <name>lb::app::DocumentController</name>
    <message>
        <source>Opening cancelled.</source>
        <translation>Apertura cancelada.</translation>
    </message>
    <message>
        <source>Open an ONNX model with File &gt; Open or drop it here.</source>
        <translation>Abra un modelo ONNX con Archivo &gt; Abrir o suéltelo aquí.</translation>
    </message>
    <message>
        <source>Opening %1...</source>
        <translation>Abriendo %1...</translation>
    </message>
    <message>
        <source>Opening %1: %2</source>
        <translation>Abriendo %1: %2</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>No se puede abrir %1: %2</translation>
    </message>
    <message>
        <source>Cannot open %1</source>
        <translation>No se puede abrir %1</translation>
    </message>
    <message>
        <source>%1: %2 nodes, %3 ms to open</source>
        <translation>%1: %2 nodos, abierto en %3 ms</translation>
    </message>
    <message>
        <source>%1: %2 nodes drawn, %3 constants shown as weights, %4 ms to open</source>
        <translation>%1: %2 nodos dibujados, %3 constantes mostradas como pesos, abierto en %4 ms</translation>
    </message>
    <message>
        <source>Inputs with symbolic dimensions (%1): shapes and MAC counts that depend on them are unknown.</source>
        <translation>Entradas con dimensiones simbólicas (%1): las formas y los MAC que dependen de ellas son desconocidos.</translation>
    </message>
    <message>
        <source>Set Input Shapes...</source>
        <translation>Definir formas de entrada...</translation>
    </message>
    <message>
        <source>Recent Files</source>
        <translation>Archivos recientes</translation>
    </message>
    <message>
        <source>These files no longer exist and were removed from the list:
%1</source>
        <translation>Estos archivos ya no existen y se quitaron de la lista:
%1</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>Abrir modelo</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>Modelos ONNX (*.onnx);;Todos los archivos (*)</translation>
    </message>
</context>
<context>
    <name>lb::app::EncodingsImportDialog</name>
    <message>
        <source>Import Encodings: %1</source>
        <translation>Importar codificaciones: %1</translation>
    </message>
    <message>
        <source>Import Matching Entries (%1)</source>
        <translation>Importar las entradas que coinciden (%1)</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>%1 of %2 entries in %3 match %4; %5 match nothing.</source>
        <translation>%1 de %2 entradas de %3 coinciden con %4; %5 no coinciden con nada.</translation>
    </message>
    <message>
        <source>Entries that name a tensor they cannot apply to: %1.</source>
        <translation>Entradas que nombran un tensor al que no se pueden aplicar: %1.</translation>
    </message>
    <message>
        <source>Only the entries that fit are imported; the others are left out.</source>
        <translation>Solo se importan las entradas que encajan; las demás quedan fuera.</translation>
    </message>
    <message>
        <source>Activations of the model with no encoding in the file (they stay in float): %1.</source>
        <translation>Activaciones del modelo sin codificación en el archivo (quedan en coma flotante): %1.</translation>
    </message>
    <message>
        <source>Importing replaces the current encodings.</source>
        <translation>La importación reemplaza las codificaciones actuales.</translation>
    </message>
    <message>
        <source>%1 has no encodings to import.</source>
        <translation>%1 no tiene codificaciones que importar.</translation>
    </message>
    <message>
        <source>None of the %1 entries in %2 names a tensor of %3: the file is for another model. The encodings were not changed.</source>
        <translation>Ninguna de las %1 entradas de %2 nombra un tensor de %3: el archivo es de otro modelo. Las codificaciones no han cambiado.</translation>
    </message>
    <message>
        <source>None of the %1 entries in %2 fits %3: %4 name no tensor of it, the others do not fit their tensor. The encodings were not changed.</source>
        <translation>Ninguna de las %1 entradas de %2 encaja en %3: %4 no nombran ningún tensor suyo y las demás no encajan en su tensor. Las codificaciones no han cambiado.</translation>
    </message>
</context>
<context>
    <name>lb::app::ExportController</name>
    <message>
        <source>Export Graph as SVG</source>
        <translation>Exportar grafo como SVG</translation>
    </message>
    <message>
        <source>Export Graph as PNG</source>
        <translation>Exportar grafo como PNG</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>Imágenes SVG (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Imágenes PNG (*.png)</translation>
    </message>
    <message>
        <source>Graph exported to %1</source>
        <translation>Grafo exportado a %1</translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>Error al exportar</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>No se puede escribir %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>Save Failed</source>
        <translation>Error al guardar</translation>
    </message>
    <message>
        <source>Profile report written to %1</source>
        <translation>Informe de perfil escrito en %1</translation>
    </message>
    <message>
        <source>Chrome trace written to %1 (open it in chrome://tracing or Perfetto)</source>
        <translation>Traza de Chrome escrita en %1 (ábrala en chrome://tracing o Perfetto)</translation>
    </message>
    <message>
        <source>Save Chrome Trace</source>
        <translation>Guardar traza de Chrome</translation>
    </message>
    <message>
        <source>Save Profile Report</source>
        <translation>Guardar informe de perfil</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Archivos JSON (*.json)</translation>
    </message>
</context>
<context>
    <name>lb::app::ImagePreprocessBox</name>
    <message>
        <source>Image preprocessing</source>
        <translation>Preprocesado de imágenes</translation>
    </message>
    <message>
        <source>from the input shape</source>
        <translation>según la forma de la entrada</translation>
    </message>
    <message>
        <source>Resize every image to H x W (bilinear), e.g. 48x192</source>
        <translation>Redimensiona cada imagen a H x W (bilineal), p. ej. 48x192</translation>
    </message>
    <message>
        <source>Multiply the 0-255 pixels by this first</source>
        <translation>Multiplica primero los píxeles 0-255 por este valor</translation>
    </message>
    <message>
        <source>Subtracted per channel after scaling: one value, or one per channel (e.g. 0.485, 0.456, 0.406)</source>
        <translation>Se resta por canal tras escalar: un valor, o uno por canal (p. ej. 0.485, 0.456, 0.406)</translation>
    </message>
    <message>
        <source>Divides per channel after the mean: one value, or one per channel (e.g. 0.229, 0.224, 0.225)</source>
        <translation>Divide por canal tras restar la media: un valor, o uno por canal (p. ej. 0.229, 0.224, 0.225)</translation>
    </message>
    <message>
        <source>From the input shape</source>
        <translation>Según la forma de la entrada</translation>
    </message>
    <message>
        <source>Load Spec...</source>
        <translation>Cargar especificación...</translation>
    </message>
    <message>
        <source>Fill these fields from a preprocessing spec (JSON), as the CLI&apos;s --preprocess reads it</source>
        <translation>Rellena estos campos con una especificación de preprocesado (JSON), como la que lee --preprocess en la CLI</translation>
    </message>
    <message>
        <source>Resize (HxW):</source>
        <translation>Redimensionar (HxW):</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>Escala:</translation>
    </message>
    <message>
        <source>Mean:</source>
        <translation>Media:</translation>
    </message>
    <message>
        <source>Std:</source>
        <translation>Desv. típica:</translation>
    </message>
    <message>
        <source>Channel order:</source>
        <translation>Orden de canales:</translation>
    </message>
    <message>
        <source>Layout:</source>
        <translation>Disposición:</translation>
    </message>
    <message>
        <source>Resize: &apos;%1&apos; is not a size; expected H x W, e.g. 48x192.</source>
        <translation>Redimensionar: «%1» no es un tamaño; se esperaba H x W, p. ej. 48x192.</translation>
    </message>
    <message>
        <source>Scale: &apos;%1&apos; is not a positive number.</source>
        <translation>Escala: «%1» no es un número positivo.</translation>
    </message>
    <message>
        <source>Mean: &apos;%1&apos; is not one number or three (one per channel, separated by spaces or &apos;;&apos;).</source>
        <translation>Media: «%1» no es un número ni tres (uno por canal, separados por espacios o «;»).</translation>
    </message>
    <message>
        <source>Std: &apos;%1&apos; is not one non-zero number or three (one per channel, separated by spaces or &apos;;&apos;).</source>
        <translation>Desv. típica: «%1» no es un número distinto de cero ni tres (uno por canal, separados por espacios o «;»).</translation>
    </message>
    <message>
        <source>Preprocessing Spec</source>
        <translation>Especificación de preprocesado</translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation>Archivos JSON (*.json);;Todos los archivos (*)</translation>
    </message>
</context>
<context>
    <name>lb::app::InputShapes</name>
    <message>
        <source>Input &apos;%1&apos;: &apos;%2&apos; is not a shape; expected whole numbers separated by x (e.g. %3).</source>
        <translation>Entrada &apos;%1&apos;: «%2» no es una forma; se esperaban números enteros separados por x (p. ej. %3).</translation>
    </message>
    <message>
        <source>Input &apos;%1&apos; has %2 dimensions (%3); &apos;%4&apos; has %5.</source>
        <translation>La entrada &apos;%1&apos; tiene %2 dimensiones (%3); «%4» tiene %5.</translation>
    </message>
    <message>
        <source>Input &apos;%1&apos; has symbolic dimensions; set its shape in Input shapes (e.g. %2)</source>
        <translation>La entrada &apos;%1&apos; tiene dimensiones simbólicas; indique su forma en Formas de entrada (p. ej. %2)</translation>
    </message>
</context>
<context>
    <name>lb::app::InputShapesDialog</name>
    <message>
        <source>Set Input Shapes</source>
        <translation>Definir formas de entrada</translation>
    </message>
    <message>
        <source>Give a concrete shape for each input with symbolic dimensions, for example 1x3x640x640. Leave a line empty to keep the declared shape.</source>
        <translation>Indique una forma concreta para cada entrada con dimensiones simbólicas, por ejemplo 1x3x640x640. Deje una línea vacía para conservar la forma declarada.</translation>
    </message>
    <message>
        <source>Declared shape: %1</source>
        <translation>Forma declarada: %1</translation>
    </message>
    <message>
        <source>%1 (%2):</source>
        <translation>%1 (%2):</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reabrir</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a shape for input %2: expected numbers separated by x, e.g. 1x3x640x640.</source>
        <translation>«%1» no es una forma para la entrada %2: se esperaban números separados por x, p. ej. 1x3x640x640.</translation>
    </message>
</context>
<context>
    <name>lb::app::InputShapesEditor</name>
    <message>
        <source>Input shapes</source>
        <translation>Formas de entrada</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>p. ej. %1</translation>
    </message>
    <message>
        <source>Shape of %1 for runs and quantization, e.g. %2 (declared: %3). Kept for this model file.</source>
        <translation>Forma de %1 para ejecutar y cuantizar, p. ej. %2 (declarada: %3). Se conserva para este archivo de modelo.</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>Open a model to set its input shapes.</source>
        <translation>Abra un modelo para definir sus formas de entrada.</translation>
    </message>
</context>
<context>
    <name>lb::app::MainWindow</name>
    <message>
        <source>Properties</source>
        <translation>Propiedades</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>%1[*] - LayerBench</source>
        <translation>%1[*] - LayerBench</translation>
    </message>
    <message>
        <source>LayerBench</source>
        <translation>LayerBench</translation>
    </message>
    <message>
        <source>&amp;Open...</source>
        <translation>&amp;Abrir...</translation>
    </message>
    <message>
        <source>Export Graph as &amp;PNG...</source>
        <translation>Exportar grafo como &amp;PNG...</translation>
    </message>
    <message>
        <source>Export Graph as &amp;SVG...</source>
        <translation>Exportar grafo como &amp;SVG...</translation>
    </message>
    <message>
        <source>Set &amp;Input Shapes...</source>
        <translation>Definir formas de &amp;entrada...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Find...</source>
        <translation>&amp;Buscar...</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>Buscar &amp;siguiente</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>Buscar &amp;anterior</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>&amp;Ajustar a la ventana</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Acercar</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>A&amp;lejar</translation>
    </message>
    <message>
        <source>&amp;About LayerBench</source>
        <translation>&amp;Acerca de LayerBench</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Properties</source>
        <translation>&amp;Propiedades</translation>
    </message>
    <message>
        <source>&amp;Summary</source>
        <translation>&amp;Resumen</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Configuración</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Vaciar la lista</translation>
    </message>
    <message>
        <source>About LayerBench</source>
        <translation>Acerca de LayerBench</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LayerBench %1&lt;/h3&gt;&lt;p&gt;A workbench for shipping neural networks to edge devices: open an ONNX model, see its graph, profile it layer by layer, quantize it and compare backends.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LayerBench %1&lt;/h3&gt;&lt;p&gt;Un banco de trabajo para llevar redes neuronales a dispositivos embebidos: abra un modelo ONNX, vea su grafo, perfílelo capa por capa, cuantícelo y compare backends.&lt;/p&gt;&lt;p&gt;Compilado con Qt %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecutar</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Perfil</translation>
    </message>
    <message>
        <source>not timed (folded by the passes)</source>
        <translation>sin medir (plegado por las optimizaciones)</translation>
    </message>
    <message>
        <source>Show &amp;Constant Nodes</source>
        <translation>Mostrar nodos &amp;Constant</translation>
    </message>
    <message>
        <source>Draw every Constant node as a box instead of a weight row of the node it feeds</source>
        <translation>Dibuja cada nodo Constant como una caja en lugar de como una fila de pesos del nodo al que alimenta</translation>
    </message>
    <message>
        <source>&amp;Run Panel</source>
        <translation>Panel de &amp;ejecución</translation>
    </message>
    <message>
        <source>P&amp;rofile</source>
        <translation>P&amp;erfil</translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation>Cuantizar</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Cuantización</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>&amp;Quantize...</source>
        <translation>&amp;Cuantizar...</translation>
    </message>
    <message>
        <source>&amp;Import Encodings...</source>
        <translation>&amp;Importar codificaciones...</translation>
    </message>
    <message>
        <source>E&amp;xport Encodings...</source>
        <translation>E&amp;xportar codificaciones...</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Herramientas</translation>
    </message>
    <message>
        <source>&amp;Quantize Panel</source>
        <translation>Panel de &amp;cuantización</translation>
    </message>
    <message>
        <source>&amp;Quantization</source>
        <translation>&amp;Cuantización</translation>
    </message>
    <message>
        <source>no quantized tensor</source>
        <translation>sin tensor cuantizado</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>&amp;Deshacer %1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>&amp;Rehacer %1</translation>
    </message>
    <message>
        <source>Show the whole graph, or its full width from the top when it is too long to read</source>
        <translation>Muestra el grafo entero o, si es demasiado largo para leerse, todo su ancho desde el principio</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>&amp;Tamaño real</translation>
    </message>
    <message>
        <source>Zoom to 100%</source>
        <translation>Zoom al 100 %</translation>
    </message>
    <message>
        <source>Zoom to &amp;Selection</source>
        <translation>Acercar a la &amp;selección</translation>
    </message>
    <message>
        <source>Zoom in on the selected node and centre it</source>
        <translation>Acerca la vista al nodo seleccionado y lo centra</translation>
    </message>
    <message>
        <source>&amp;Minimap</source>
        <translation>&amp;Minimapa</translation>
    </message>
    <message>
        <source>Show an overview of the whole graph in the corner of the graph view while the graph is larger than the window</source>
        <translation>Muestra una vista general del grafo entero en la esquina de la vista del grafo cuando este no cabe en la ventana</translation>
    </message>
    <message>
        <source>Export &amp;QDQ Model...</source>
        <translation>Exportar modelo &amp;QDQ...</translation>
    </message>
    <message>
        <source>Write the model with the Encodings table&apos;s encodings as QuantizeLinear / DequantizeLinear pairs (ONNX Runtime, QNN&apos;s converter)</source>
        <translation>Escribe el modelo con las codificaciones de la tabla como pares QuantizeLinear / DequantizeLinear (ONNX Runtime, el conversor de QNN)</translation>
    </message>
    <message>
        <source>Save Profile &amp;Report...</source>
        <translation>Guardar &amp;informe de perfil...</translation>
    </message>
    <message>
        <source>Write the last run&apos;s profile report as JSON</source>
        <translation>Escribe el informe de perfil de la última ejecución en JSON</translation>
    </message>
    <message>
        <source>Save Chrome &amp;Trace...</source>
        <translation>Guardar &amp;traza de Chrome...</translation>
    </message>
    <message>
        <source>Write the last run&apos;s timeline for chrome://tracing or Perfetto</source>
        <translation>Escribe la línea de tiempo de la última ejecución para chrome://tracing o Perfetto</translation>
    </message>
    <message>
        <source>&amp;Compare Targets...</source>
        <translation>&amp;Comparar destinos...</translation>
    </message>
    <message>
        <source>Benchmark several targets (CPU fp32, mobile CPU, GPU fp16, NPU int8) on the same inputs, side by side</source>
        <translation>Medir varios destinos (CPU fp32, CPU móvil, GPU fp16, NPU int8) con las mismas entradas, lado a lado</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparar</translation>
    </message>
    <message>
        <source>Compar&amp;e</source>
        <translation>Co&amp;mparar</translation>
    </message>
    <message>
        <source>no time on these targets</source>
        <translation>sin tiempo en estos destinos</translation>
    </message>
</context>
<context>
    <name>lb::app::NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
</context>
<context>
    <name>lb::app::QuantAutosave</name>
    <message>
        <source>Cannot write the autosave %1: %2</source>
        <translation>No se puede escribir el autoguardado %1: %2</translation>
    </message>
</context>
<context>
    <name>lb::app::QuantController</name>
    <message>
        <source>Quantization cancelled.</source>
        <translation>Cuantización cancelada.</translation>
    </message>
    <message>
        <source>QDQ export cancelled.</source>
        <translation>Exportación QDQ cancelada.</translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation>Cuantizar</translation>
    </message>
    <message>
        <source>Calibrating again replaces your unsaved encoding edits. Continue?</source>
        <translation>Calibrar de nuevo sustituye sus cambios sin guardar en las codificaciones. ¿Continuar?</translation>
    </message>
    <message>
        <source>Quantizing %1...</source>
        <translation>Cuantizando %1...</translation>
    </message>
    <message>
        <source>Quantizing %1: %2</source>
        <translation>Cuantizando %1: %2</translation>
    </message>
    <message>
        <source>QDQ Export Failed</source>
        <translation>Error al exportar el modelo QDQ</translation>
    </message>
    <message>
        <source>Quantization failed: %1</source>
        <translation>La cuantización falló: %1</translation>
    </message>
    <message>
        <source>These encodings could not be measured: %1</source>
        <translation>No se pudieron medir estas codificaciones: %1</translation>
    </message>
    <message>
        <source>%1: output SQNR %2 dB, top-1 agreement %3 % (%4 tensors)</source>
        <translation>%1: SQNR de salida %2 dB, coincidencia top-1 %3 % (%4 tensores)</translation>
    </message>
    <message>
        <source>mixed precision: %1 tensors promoted to 16 bit</source>
        <translation>precisión mixta: %1 tensores promovidos a 16 bits</translation>
    </message>
    <message>
        <source>Measuring the edit of %1...</source>
        <translation>Midiendo la edición de %1...</translation>
    </message>
    <message>
        <source>Preview of %1: output SQNR %2 dB, top-1 agreement %3 %</source>
        <translation>Vista previa de %1: SQNR de salida %2 dB, coincidencia top-1 %3 %</translation>
    </message>
    <message>
        <source>%1 edited: output SQNR %2 dB, top-1 agreement %3 %</source>
        <translation>%1 editado: SQNR de salida %2 dB, coincidencia top-1 %3 %</translation>
    </message>
    <message>
        <source>No calibration data: these encodings cannot be measured. Quantize the model (Tools &gt; Quantize...) to see their per-layer error.</source>
        <translation>Sin datos de calibración: estas codificaciones no se pueden medir. Cuantice el modelo (Herramientas &gt; Cuantizar...) para ver su error por capa.</translation>
    </message>
    <message numerus="yes">
        <source>Measuring these encodings on the %n calibration sample(s)...</source>
        <translation>
            <numerusform>Midiendo estas codificaciones con %n muestra de calibración...</numerusform>
            <numerusform>Midiendo estas codificaciones con %n muestras de calibración...</numerusform>
        </translation>
    </message>
    <message>
        <source>Encodings measured in %1 s: output SQNR %2 dB</source>
        <translation>Codificaciones medidas en %1 s: SQNR de salida %2 dB</translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>Error al exportar</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Error al exportar: %1</translation>
    </message>
    <message>
        <source>Encodings written to %1</source>
        <translation>Codificaciones escritas en %1</translation>
    </message>
    <message>
        <source>QNN/AIMET encodings 1.0.0 (*.json)</source>
        <translation>Codificaciones QNN/AIMET 1.0.0 (*.json)</translation>
    </message>
    <message>
        <source>QNN/AIMET encodings 0.6.1 (*.json)</source>
        <translation>Codificaciones QNN/AIMET 0.6.1 (*.json)</translation>
    </message>
    <message>
        <source>Export Encodings</source>
        <translation>Exportar codificaciones</translation>
    </message>
    <message>
        <source>Cannot import %1</source>
        <translation>No se puede importar %1</translation>
    </message>
    <message>
        <source>Import of %1 cancelled; the encodings were not changed.</source>
        <translation>Importación de %1 cancelada; las codificaciones no han cambiado.</translation>
    </message>
    <message>
        <source>%1: imported %2 of %3 entries (%4 activation and %5 param encodings); %6 left out</source>
        <translation>%1: importadas %2 de %3 entradas (%4 codificaciones de activaciones y %5 de parámetros); %6 quedan fuera</translation>
    </message>
    <message>
        <source>Import Encodings</source>
        <translation>Importar codificaciones</translation>
    </message>
    <message>
        <source>Encodings (*.json *.encodings);;All files (*)</source>
        <translation>Codificaciones (*.json *.encodings);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Unsaved Encodings</source>
        <translation>Codificaciones sin guardar</translation>
    </message>
    <message>
        <source>The encodings have unsaved edits. Save them before continuing?</source>
        <translation>Las codificaciones tienen cambios sin guardar. ¿Guardarlos antes de continuar?</translation>
    </message>
    <message>
        <source>Recover Encodings</source>
        <translation>Recuperar codificaciones</translation>
    </message>
    <message>
        <source>LayerBench did not close normally and unsaved encoding edits for %1 were kept (%2). Recover them?</source>
        <translation>LayerBench no se cerró con normalidad y se conservaron cambios sin guardar en las codificaciones de %1 (%2). ¿Recuperarlos?</translation>
    </message>
    <message>
        <source>Recovered unsaved encodings for %1; export them to keep them.</source>
        <translation>Codificaciones sin guardar de %1 recuperadas; expórtelas para conservarlas.</translation>
    </message>
    <message>
        <source>Exporting the QDQ model to %1...</source>
        <translation>Exportando el modelo QDQ a %1...</translation>
    </message>
    <message>
        <source>QDQ model written to %1: %2 QuantizeLinear, %3 DequantizeLinear (%4 activations, %5 params)</source>
        <translation>Modelo QDQ escrito en %1: %2 QuantizeLinear, %3 DequantizeLinear (%4 activaciones, %5 parámetros)</translation>
    </message>
    <message>
        <source>; encodings not exported: %1 (see the tooltip)</source>
        <translation>; codificaciones no exportadas: %1 (vea la descripción emergente)</translation>
    </message>
    <message>
        <source>Export QDQ Model</source>
        <translation>Exportar modelo QDQ</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>Modelos ONNX (*.onnx)</translation>
    </message>
</context>
<context>
    <name>lb::app::QuantPanel</name>
    <message>
        <source>Random data</source>
        <translation>Datos aleatorios</translation>
    </message>
    <message>
        <source>Input list (input_list.txt)</source>
        <translation>Lista de entradas (input_list.txt)</translation>
    </message>
    <message>
        <source>Folder of .npy files</source>
        <translation>Carpeta de archivos .npy</translation>
    </message>
    <message>
        <source>Calibration data:</source>
        <translation>Datos de calibración:</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>Examinar...</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>Ruta:</translation>
    </message>
    <message>
        <source>Random samples:</source>
        <translation>Muestras aleatorias:</translation>
    </message>
    <message>
        <source>MinMax</source>
        <translation>MinMax</translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation>Percentil</translation>
    </message>
    <message>
        <source>MSE-optimal</source>
        <translation>MSE óptimo</translation>
    </message>
    <message>
        <source>Entropy (KL)</source>
        <translation>Entropía (KL)</translation>
    </message>
    <message>
        <source>Calibrator:</source>
        <translation>Calibrador:</translation>
    </message>
    <message>
        <source>Percentile:</source>
        <translation>Percentil:</translation>
    </message>
    <message>
        <source>Per-channel weights</source>
        <translation>Pesos por canal</translation>
    </message>
    <message>
        <source>Activation bits:</source>
        <translation>Bits de activaciones:</translation>
    </message>
    <message>
        <source>Weight bits:</source>
        <translation>Bits de pesos:</translation>
    </message>
    <message>
        <source>all</source>
        <translation>todas</translation>
    </message>
    <message>
        <source>Sensitivity runs (one per tensor, the lowest SQNR first)</source>
        <translation>Ejecuciones de sensibilidad (una por tensor, primero el de menor SQNR)</translation>
    </message>
    <message>
        <source>Isolated runs:</source>
        <translation>Ejecuciones aisladas:</translation>
    </message>
    <message>
        <source>Random data is only for trying the tools out: ranges calibrated on uniform noise say little about real inputs.</source>
        <translation>Los datos aleatorios solo sirven para probar las herramientas: los rangos calibrados con ruido uniforme dicen poco de las entradas reales.</translation>
    </message>
    <message>
        <source>&amp;Quantize</source>
        <translation>&amp;Cuantizar</translation>
    </message>
    <message>
        <source>Calibration Folder</source>
        <translation>Carpeta de calibración</translation>
    </message>
    <message>
        <source>Calibration Input List</source>
        <translation>Lista de entradas de calibración</translation>
    </message>
    <message>
        <source>Input lists (*.txt);;All files (*)</source>
        <translation>Listas de entradas (*.txt);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Abra primero un modelo.</translation>
    </message>
    <message>
        <source>Choose the calibration data.</source>
        <translation>Elija los datos de calibración.</translation>
    </message>
    <message>
        <source>Folder of images</source>
        <translation>Carpeta de imágenes</translation>
    </message>
    <message>
        <source>Mixed precision: 16 bit where needed</source>
        <translation>Precisión mixta: 16 bits donde haga falta</translation>
    </message>
    <message>
        <source>Promote the most sensitive tensors to 16 bit, one at a time, until the output SQNR reaches the target</source>
        <translation>Promueve a 16 bits los tensores más sensibles, de uno en uno, hasta que el SQNR de salida alcance el objetivo</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>sin límite</translation>
    </message>
    <message>
        <source>Target output SQNR:</source>
        <translation>SQNR de salida objetivo:</translation>
    </message>
    <message>
        <source>Most promotions:</source>
        <translation>Promociones como máximo:</translation>
    </message>
    <message>
        <source>Mixed precision: tensors promoted to 16 bit: %1; output SQNR %2 dB reaches the target of %3 dB.</source>
        <translation>Precisión mixta: tensores promovidos a 16 bits: %1; el SQNR de salida de %2 dB alcanza el objetivo de %3 dB.</translation>
    </message>
    <message>
        <source>Mixed precision: tensors promoted to 16 bit: %1; output SQNR %2 dB stays below the target of %3 dB.</source>
        <translation>Precisión mixta: tensores promovidos a 16 bits: %1; el SQNR de salida de %2 dB queda por debajo del objetivo de %3 dB.</translation>
    </message>
    <message>
        <source>%1 (%2 dB)</source>
        <translation>%1 (%2 dB)</translation>
    </message>
    <message>
        <source>%1 does not exist or is not a folder.</source>
        <translation>%1 no existe o no es una carpeta.</translation>
    </message>
    <message>
        <source>%1 does not exist or is not a file.</source>
        <translation>%1 no existe o no es un archivo.</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>per-channel weights</source>
        <translation>pesos por canal</translation>
    </message>
    <message>
        <source>per-tensor weights</source>
        <translation>pesos por tensor</translation>
    </message>
    <message>
        <source>Output SQNR %1 dB is below %2 dB. Other calibrations, measured on the same samples:</source>
        <translation>La SQNR de salida, %1 dB, está por debajo de %2 dB. Otras calibraciones, medidas con las mismas muestras:</translation>
    </message>
    <message>
        <source>%1: %2 dB, top-1 agreement %3 %</source>
        <translation>%1: %2 dB, coincidencia top-1 %3 %</translation>
    </message>
    <message>
        <source>None reaches %1 dB: keep the most sensitive tensors at 16 bit (Mixed precision, target %1 dB).</source>
        <translation>Ninguna llega a %1 dB: deje los tensores más sensibles en 16 bits (precisión mixta, objetivo %1 dB).</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>Usar %1</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>Calibración</translation>
    </message>
    <message>
        <source>Output SQNR</source>
        <translation>SQNR de salida</translation>
    </message>
    <message>
        <source>Top-1</source>
        <translation>Top-1</translation>
    </message>
</context>
<context>
    <name>lb::app::RunController</name>
    <message>
        <source>The run failed: %1</source>
        <translation>La ejecución falló: %1</translation>
    </message>
    <message>
        <source>Run cancelled.</source>
        <translation>Ejecución cancelada.</translation>
    </message>
    <message>
        <source>Running %1...</source>
        <translation>Ejecutando %1...</translation>
    </message>
    <message>
        <source>Running %1: %2</source>
        <translation>Ejecutando %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 ms mean, %3 ms p95 over %4 runs (%n layer(s) after passes)</source>
        <translation>
            <numerusform>%1: media %2 ms, p95 %3 ms en %4 ejecuciones (%n capa tras las optimizaciones)</numerusform>
            <numerusform>%1: media %2 ms, p95 %3 ms en %4 ejecuciones (%n capas tras las optimizaciones)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lb::app::RunPanel</name>
    <message>
        <source>Run settings</source>
        <translation>Ajustes de ejecución</translation>
    </message>
    <message>
        <source>Run on:</source>
        <translation>Ejecutar en:</translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation>Hilos:</translation>
    </message>
    <message>
        <source>Warm-up runs:</source>
        <translation>Ejecuciones de calentamiento:</translation>
    </message>
    <message>
        <source>Timed runs:</source>
        <translation>Ejecuciones medidas:</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ejecutar</translation>
    </message>
    <message>
        <source>random values</source>
        <translation>valores aleatorios</translation>
    </message>
    <message>
        <source>Optional .npy, .raw or .pb file with the input&apos;s values</source>
        <translation>Archivo .npy, .raw o .pb opcional con los valores de la entrada</translation>
    </message>
    <message>
        <source>Choose an input file</source>
        <translation>Elegir un archivo de entrada</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Abra primero un modelo.</translation>
    </message>
    <message>
        <source>Choose an Input File</source>
        <translation>Elegir un archivo de entrada</translation>
    </message>
    <message>
        <source>Tensors (*.npy *.raw *.pb);;All files (*)</source>
        <translation>Tensores (*.npy *.raw *.pb);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Input files</source>
        <translation>Archivos de entrada</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>Automatic (%1)</source>
        <translation>Automático (%1)</translation>
    </message>
    <message>
        <source>Each node runs on the first backend that claims it, in order of preference</source>
        <translation>Cada nodo se ejecuta en el primer backend que lo acepta, por orden de preferencia</translation>
    </message>
</context>
<context>
    <name>lb::app::StartupOptions</name>
    <message>
        <source>LayerBench: a workbench for shipping neural networks to edge devices.</source>
        <translation>LayerBench: un banco de trabajo para llevar redes neuronales a dispositivos embebidos.</translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation>Muestra esta ayuda y sale.</translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation>Muestra la versión y sale.</translation>
    </message>
    <message>
        <source>Fix an input&apos;s shape, e.g. x=1x3x640x640 (repeatable).</source>
        <translation>Fija la forma de una entrada, p. ej. x=1x3x640x640 (repetible).</translation>
    </message>
    <message>
        <source>Open MODEL, save the main window to FILE.png and exit.</source>
        <translation>Abre MODEL, guarda la ventana principal en FILE.png y sale.</translation>
    </message>
    <message>
        <source>User interface language for this run: en or es.</source>
        <translation>Idioma de la interfaz para esta ejecución: en o es.</translation>
    </message>
    <message>
        <source>ONNX model to open.</source>
        <translation>Modelo ONNX que abrir.</translation>
    </message>
    <message>
        <source>Expected at most one model, got %1.</source>
        <translation>Se esperaba como mucho un modelo; se recibieron %1.</translation>
    </message>
    <message>
        <source>--screenshot needs a MODEL to open.</source>
        <translation>--screenshot necesita un MODEL que abrir.</translation>
    </message>
    <message>
        <source>Unknown language &apos;%1&apos;: expected en or es.</source>
        <translation>Idioma desconocido «%1»: se esperaba en o es.</translation>
    </message>
    <message>
        <source>Profile MODEL once after opening it; with --screenshot the image shows the profile.</source>
        <translation>Perfila MODEL una vez tras abrirlo; con --screenshot la imagen muestra el perfil.</translation>
    </message>
    <message>
        <source>Threads for --run.</source>
        <translation>Hilos para --run.</translation>
    </message>
    <message>
        <source>--threads expects a positive number, got &apos;%1&apos;.</source>
        <translation>--threads espera un número positivo; se recibió «%1».</translation>
    </message>
    <message>
        <source>--run needs a MODEL to open.</source>
        <translation>--run necesita un MODEL que abrir.</translation>
    </message>
    <message>
        <source>Quantize MODEL once after opening it (random calibration data); with --screenshot the image shows the quantization view.</source>
        <translation>Cuantiza MODEL una vez tras abrirlo (datos de calibración aleatorios); con --screenshot la imagen muestra la vista de cuantización.</translation>
    </message>
    <message>
        <source>--quantize needs a MODEL to open.</source>
        <translation>--quantize necesita un MODEL que abrir.</translation>
    </message>
    <message>
        <source>Answer the question about unsaved encoding edits a crashed session left behind: yes recovers them, no discards them.</source>
        <translation>Responde a la pregunta sobre las ediciones de codificaciones sin guardar que dejó una sesión interrumpida: yes las recupera, no las descarta.</translation>
    </message>
    <message>
        <source>--recover expects yes or no, got &apos;%1&apos;.</source>
        <translation>--recover espera yes o no, se recibió &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Backend for --run: one of %1.</source>
        <translation>Backend para --run: uno de %1.</translation>
    </message>
    <message>
        <source>Unknown backend &apos;%1&apos;: expected one of %2.</source>
        <translation>Backend desconocido «%1»: se esperaba uno de %2.</translation>
    </message>
</context>
<context>
    <name>lb::app::StatusReporter</name>
    <message>
        <source>%1 (about %2 left)</source>
        <translation>%1 (quedan unos %2)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
</context>
<context>
    <name>lb::widgets::CompareView</name>
    <message>
        <source>Save Chart as PNG...</source>
        <translation>Guardar gráfico como PNG...</translation>
    </message>
    <message>
        <source>Save Chart as SVG...</source>
        <translation>Guardar gráfico como SVG...</translation>
    </message>
    <message>
        <source>Save Data as CSV...</source>
        <translation>Guardar datos como CSV...</translation>
    </message>
    <message>
        <source>Targets:</source>
        <translation>Destinos:</translation>
    </message>
    <message>
        <source>Not available: this build lacks its backend (%1).</source>
        <translation>No disponible: esta compilación no incluye su backend (%1).</translation>
    </message>
    <message>
        <source>Needs encodings: quantize the model or import encodings first.</source>
        <translation>Necesita codificaciones: cuantice el modelo o importe codificaciones primero.</translation>
    </message>
    <message>
        <source>&amp;Rounds:</source>
        <translation>&amp;Rondas:</translation>
    </message>
    <message>
        <source>Each round runs every target once; the order rotates by one target per round, so machine noise hits the targets alike</source>
        <translation>Cada ronda ejecuta cada destino una vez; el orden rota un destino por ronda, para que el ruido de la máquina afecte a todos por igual</translation>
    </message>
    <message>
        <source>&amp;Iterations per round:</source>
        <translation>&amp;Iteraciones por ronda:</translation>
    </message>
    <message>
        <source>&amp;Threads:</source>
        <translation>&amp;Hilos:</translation>
    </message>
    <message>
        <source>npu-int8 needs encodings: quantize the model or import encodings.</source>
        <translation>npu-int8 necesita codificaciones: cuantice el modelo o importe codificaciones.</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>&amp;Comparar</translation>
    </message>
    <message>
        <source>Run every checked target on the same inputs, with the Run panel&apos;s input shapes</source>
        <translation>Ejecutar cada destino marcado con las mismas entradas, con las formas de entrada del panel Ejecutar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>&amp;Open Reports...</source>
        <translation>&amp;Abrir informes...</translation>
    </message>
    <message>
        <source>Add saved profile reports or comparisons to the view</source>
        <translation>Añadir a la vista informes de perfil o comparaciones guardados</translation>
    </message>
    <message>
        <source>&amp;Save Comparison...</source>
        <translation>&amp;Guardar comparación...</translation>
    </message>
    <message>
        <source>Write the comparison shown as JSON (layerbench.comparison)</source>
        <translation>Escribir la comparación mostrada como JSON (layerbench.comparison)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>Graph:</source>
        <translation>Grafo:</translation>
    </message>
    <message>
        <source>No compare colours</source>
        <translation>Sin colores de comparación</translation>
    </message>
    <message>
        <source>Fastest target per node</source>
        <translation>Destino más rápido por nodo</translation>
    </message>
    <message>
        <source>Ratio of two targets</source>
        <translation>Cociente de dos destinos</translation>
    </message>
    <message>
        <source>vs</source>
        <translation>frente a</translation>
    </message>
    <message>
        <source>&amp;Layers shown:</source>
        <translation>Ca&amp;pas mostradas:</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabla</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latencia</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Capas</translation>
    </message>
    <message>
        <source>Op Types</source>
        <translation>Tipos de operación</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Precisión</translation>
    </message>
    <message>
        <source>No comparison yet: pick targets and press Compare</source>
        <translation>Aún no hay comparación: elija los destinos y pulse Comparar</translation>
    </message>
    <message>
        <source>fastest: &lt;b&gt;%1&lt;/b&gt;, %2 ms median</source>
        <translation>más rápido: &lt;b&gt;%1&lt;/b&gt;, %2 ms de mediana</translation>
    </message>
    <message>
        <source>accuracy against %1</source>
        <translation>precisión frente a %1</translation>
    </message>
    <message>
        <source>npu-int8 runs with the Encodings table&apos;s encodings (%1 tensors).</source>
        <translation>npu-int8 se ejecuta con las codificaciones de la tabla de codificaciones (%1 tensores).</translation>
    </message>
    <message>
        <source>1 target</source>
        <translation>1 destino</translation>
    </message>
    <message numerus="yes">
        <source>%n targets</source>
        <translation>
            <numerusform>%n destino</numerusform>
            <numerusform>%n destinos</numerusform>
        </translation>
    </message>
    <message>
        <source>1 round</source>
        <translation>1 ronda</translation>
    </message>
    <message numerus="yes">
        <source>%n rounds</source>
        <translation>
            <numerusform>%n ronda</numerusform>
            <numerusform>%n rondas</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Log time axis</source>
        <translation>Eje de tiempo &amp;logarítmico</translation>
    </message>
    <message>
        <source>Times on a logarithmic axis, so a slow target (the reference) does not flatten the others</source>
        <translation>Tiempos en un eje logarítmico, para que un destino lento (la referencia) no aplaste a los demás</translation>
    </message>
</context>
<context>
    <name>lb::widgets::ComparisonTableModel</name>
    <message>
        <source>Against %1 on the same inputs</source>
        <translation>Frente a %1 con las mismas entradas</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n/d</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Destino</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Precisión</translation>
    </message>
    <message>
        <source>Fallbacks</source>
        <translation>Alternativas</translation>
    </message>
    <message>
        <source>%1 on %2 (%3), backend %4, threads: %5</source>
        <translation>%1 en %2 (%3), backend %4, hilos: %5</translation>
    </message>
    <message>
        <source>p50
(ms)</source>
        <translation>p50
(ms)</translation>
    </message>
    <message>
        <source>p95
(ms)</source>
        <translation>p95
(ms)</translation>
    </message>
    <message>
        <source>p99
(ms)</source>
        <translation>p99
(ms)</translation>
    </message>
    <message>
        <source>Mean
(ms)</source>
        <translation>Media
(ms)</translation>
    </message>
    <message>
        <source>Inferences
per second</source>
        <translation>Inferencias
por segundo</translation>
    </message>
    <message>
        <source>Peak RSS
(MB)</source>
        <translation>RSS máx.
(MB)</translation>
    </message>
    <message>
        <source>SQNR
(dB)</source>
        <translation>SQNR
(dB)</translation>
    </message>
    <message>
        <source>Max
error</source>
        <translation>Error
máx.</translation>
    </message>
</context>
<context>
    <name>lb::widgets::EncodingsCheckModel</name>
    <message>
        <source>Ignored line</source>
        <translation>Línea ignorada</translation>
    </message>
    <message>
        <source>Not in this model</source>
        <translation>No está en este modelo</translation>
    </message>
    <message>
        <source>Activation filed as param</source>
        <translation>Activación listada como parámetro</translation>
    </message>
    <message>
        <source>Param filed as activation</source>
        <translation>Parámetro listado como activación</translation>
    </message>
    <message>
        <source>Offset sign</source>
        <translation>Signo del offset</translation>
    </message>
    <message>
        <source>Min/max disagree</source>
        <translation>Mín./máx. no concuerdan</translation>
    </message>
    <message>
        <source>Channel count</source>
        <translation>Número de canales</translation>
    </message>
    <message>
        <source>Not a float tensor</source>
        <translation>No es un tensor flotante</translation>
    </message>
    <message>
        <source>Unusual bitwidth</source>
        <translation>Ancho de bits inusual</translation>
    </message>
    <message>
        <source>Range far from the weight</source>
        <translation>Rango lejos del peso</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>JSON has no comments; this line was skipped: %1</source>
        <translation>JSON no admite comentarios; se ha omitido esta línea: %1</translation>
    </message>
    <message>
        <source>The model has no tensor of this name.</source>
        <translation>El modelo no tiene ningún tensor con este nombre.</translation>
    </message>
    <message>
        <source>A node output or graph input, not a weight: the simulation cannot use it.</source>
        <translation>Una salida de nodo o entrada del grafo, no un peso: la simulación no puede usarla.</translation>
    </message>
    <message>
        <source>A weight or constant: it is simulated as a param.</source>
        <translation>Un peso o constante: se simula como parámetro.</translation>
    </message>
    <message>
        <source>Offset %1 looks like a zero point: QNN&apos;s offset is its negative (%2).</source>
        <translation>El offset %1 parece un punto cero: el offset de QNN es su negativo (%2).</translation>
    </message>
    <message>
        <source>The file&apos;s min/max %1 disagree with its scale and offset, which give %2.</source>
        <translation>El mín./máx. %1 del archivo no concuerda con su escala y offset, que dan %2.</translation>
    </message>
    <message>
        <source>%1 per-channel encodings, but the tensor (shape %2) has %3 channels.</source>
        <translation>%1 codificaciones por canal, pero el tensor (forma %2) tiene %3 canales.</translation>
    </message>
    <message>
        <source>The tensor is %1 in the model; only float32 tensors are quantized.</source>
        <translation>El tensor es %1 en el modelo; solo se cuantizan tensores float32.</translation>
    </message>
    <message>
        <source>%1-bit integer encoding: QNN and AIMET give 32 bits to biases only (4, 8 or 16 bits elsewhere).</source>
        <translation>Codificación entera de %1 bits: QNN y AIMET dan 32 bits solo a los sesgos (4, 8 o 16 bits en lo demás).</translation>
    </message>
    <message>
        <source>Values %1, encoding %2: made for another model?</source>
        <translation>Valores %1, codificación %2: ¿hecha para otro modelo?</translation>
    </message>
    <message>
        <source>No encoding</source>
        <translation>Sin codificación</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>activación</translation>
    </message>
    <message>
        <source>stays float</source>
        <translation>queda flotante</translation>
    </message>
    <message>
        <source>No entry in the file: this activation is not quantized.</source>
        <translation>Sin entrada en el archivo: esta activación no se cuantiza.</translation>
    </message>
    <message>
        <source>param</source>
        <translation>parámetro</translation>
    </message>
    <message>
        <source>file</source>
        <translation>archivo</translation>
    </message>
    <message>
        <source>left out</source>
        <translation>fuera</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>importada</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>Tensor</translation>
    </message>
    <message>
        <source>Section</source>
        <translation>Sección</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importación</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
</context>
<context>
    <name>lb::widgets::EncodingsTableModel</name>
    <message>
        <source>channel %1</source>
        <translation>canal %1</translation>
    </message>
    <message>
        <source>param</source>
        <translation>parámetro</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>activación</translation>
    </message>
    <message>
        <source>%1 (float)</source>
        <translation>%1 (flotante)</translation>
    </message>
    <message>
        <source>%1 channels</source>
        <translation>%1 canales</translation>
    </message>
    <message>
        <source>Symmetric %1</source>
        <translation>Simétrico %1</translation>
    </message>
    <message>
        <source>Edit %1 of %2</source>
        <translation>Editar %1 de %2</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>Tensor</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Bitwidth</source>
        <translation>Bits</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>Mín</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>Máx</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Escala</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Offset</translation>
    </message>
    <message>
        <source>Symmetric</source>
        <translation>Simétrico</translation>
    </message>
    <message>
        <source>%1: this cell cannot be edited</source>
        <translation>%1: esta celda no se puede editar</translation>
    </message>
    <message>
        <source>%1: bitwidth &apos;%2&apos; is not supported (expected 4, 8, 16 or 32)</source>
        <translation>%1: el ancho de bits «%2» no está admitido (se esperaba 4, 8, 16 o 32)</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is not a number</source>
        <translation>%1: «%2» no es un número</translation>
    </message>
    <message>
        <source>%1: max %2 &lt; min %3</source>
        <translation>%1: máx %2 &lt; mín %3</translation>
    </message>
    <message>
        <source>%1: scale &apos;%2&apos; must be a number &gt; 0</source>
        <translation>%1: la escala «%2» debe ser un número &gt; 0</translation>
    </message>
    <message>
        <source>%1: offset &apos;%2&apos; must be an integer in [%3, 0] for %4-bit (QNN offset = -zero_point)</source>
        <translation>%1: el offset «%2» debe ser un entero en [%3, 0] para %4 bits (offset de QNN = -zero_point)</translation>
    </message>
</context>
<context>
    <name>lb::widgets::GraphMinimap</name>
    <message>
        <source>Overview of the whole graph: click or drag to move the view</source>
        <translation>Vista general del grafo entero: haga clic o arrastre para mover la vista</translation>
    </message>
    <message>
        <source>Graph overview</source>
        <translation>Vista general del grafo</translation>
    </message>
</context>
<context>
    <name>lb::widgets::GraphScene</name>
    <message>
        <source>+%1 more</source>
        <translation>+%1 más</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>escalar</translation>
    </message>
</context>
<context>
    <name>lb::widgets::GraphView</name>
    <message>
        <source>Model graph</source>
        <translation>Grafo del modelo</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>Leyenda</translation>
    </message>
</context>
<context>
    <name>lb::widgets::HistogramPlot</name>
    <message>
        <source>count</source>
        <translation>cantidad</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valor</translation>
    </message>
    <message>
        <source>Select a tensor to see its histogram</source>
        <translation>Seleccione un tensor para ver su histograma</translation>
    </message>
    <message>
        <source>%1: per-channel encoding (edit channels in the table)</source>
        <translation>%1: codificación por canal (edite los canales en la tabla)</translation>
    </message>
    <message>
        <source>%1: no integer encoding</source>
        <translation>%1: sin codificación entera</translation>
    </message>
    <message>
        <source>%1: [%2, %3], scale %4, offset %5 (%6-bit) - drag the red handles</source>
        <translation>%1: [%2, %3], escala %4, offset %5 (%6 bits); arrastre los tiradores rojos</translation>
    </message>
    <message numerus="yes">
        <source>%n value(s) beyond the axis, counted in the edge bars</source>
        <translation>
            <numerusform>%n valor fuera del eje, contado en las barras de los extremos</numerusform>
            <numerusform>%n valores fuera del eje, contados en las barras de los extremos</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2-bit range [%3, %4], far wider than the values</source>
        <translation>%1: rango de %2 bits [%3, %4], mucho más ancho que los valores</translation>
    </message>
</context>
<context>
    <name>lb::widgets::OpCountModel</name>
    <message>
        <source>Op</source>
        <translation>Operación</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Cantidad</translation>
    </message>
</context>
<context>
    <name>lb::widgets::ProfileTableModel</name>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Operación</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>Time (ms)</source>
        <translation>Tiempo (ms)</translation>
    </message>
    <message>
        <source>Share (%)</source>
        <translation>Parte (%)</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MAC</translation>
    </message>
    <message>
        <source>GFLOP/s</source>
        <translation>GFLOP/s</translation>
    </message>
    <message>
        <source>&lt;b&gt;Not run in int8&lt;/b&gt;: the int8 kernels declined this node, so it runs simulated on %1.</source>
        <translation>&lt;b&gt;No se ejecuta en int8&lt;/b&gt;: los kernels int8 rechazaron este nodo, así que se ejecuta simulado en %1.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Fell back to %1&lt;/b&gt;: a preferred backend declined this node.</source>
        <translation>&lt;b&gt;Recurrió a %1&lt;/b&gt;: un backend preferido rechazó este nodo.</translation>
    </message>
    <message>
        <source>Code: %1</source>
        <translation>Código: %1</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Precisión</translation>
    </message>
    <message>
        <source>%1: a node of subgraph %2 of %3 (%4); its time is part of %3&apos;s row</source>
        <translation>%1: un nodo del subgrafo %2 de %3 (%4); su tiempo forma parte de la fila de %3</translation>
    </message>
</context>
<context>
    <name>lb::widgets::ProfileView</name>
    <message>
        <source>Heat map on the graph</source>
        <translation>Mapa de calor en el grafo</translation>
    </message>
    <message>
        <source>No run yet: choose the settings in the Run panel and press Run.</source>
        <translation>Aún no hay ejecuciones: elija los ajustes en el panel Ejecutar y pulse Ejecutar.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 ms&lt;/b&gt; mean &amp;nbsp; p50 %2 &amp;nbsp; p95 %3 &amp;nbsp; p99 %4 ms &amp;nbsp; &lt;b&gt;%5&lt;/b&gt; inferences/s</source>
        <translation>&lt;b&gt;%1 ms&lt;/b&gt; de media &amp;nbsp; p50 %2 &amp;nbsp; p95 %3 &amp;nbsp; p99 %4 ms &amp;nbsp; &lt;b&gt;%5&lt;/b&gt; inferencias/s</translation>
    </message>
    <message numerus="yes">
        <source>peak RSS %1 MB &amp;nbsp; planned memory %2 MB (naive %3 MB) &amp;nbsp; backend %4, %n thread(s), %5 runs</source>
        <translation>
            <numerusform>RSS máximo %1 MB &amp;nbsp; memoria planificada %2 MB (ingenua %3 MB) &amp;nbsp; backend %4, %n hilo, %5 ejecuciones</numerusform>
            <numerusform>RSS máximo %1 MB &amp;nbsp; memoria planificada %2 MB (ingenua %3 MB) &amp;nbsp; backend %4, %n hilos, %5 ejecuciones</numerusform>
        </translation>
    </message>
    <message>
        <source>List only the nodes that did not run as asked: a preferred backend declined them, or they run simulated instead of in int8</source>
        <translation>Listar solo los nodos que no se ejecutaron como se pidió: un backend preferido los rechazó, o se ejecutan simulados en lugar de en int8</translation>
    </message>
    <message>
        <source>Fallbacks only (%1)</source>
        <translation>Solo nodos con alternativa (%1)</translation>
    </message>
    <message>
        <source>1 node fell back</source>
        <translation>1 nodo recurrió a una alternativa</translation>
    </message>
    <message numerus="yes">
        <source>%n nodes fell back</source>
        <translation>
            <numerusform>%n nodo recurrió a una alternativa</numerusform>
            <numerusform>%n nodos recurrieron a una alternativa</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lb::widgets::PropertiesPane</name>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>Property</source>
        <translation>Propiedad</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>(omitted)</source>
        <translation>(omitida)</translation>
    </message>
    <message>
        <source>(weight)</source>
        <translation>(peso)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Nodos</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>Entradas</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>Salidas</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Operación</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Dominio</translation>
    </message>
    <message>
        <source>ai.onnx (default)</source>
        <translation>ai.onnx (predeterminado)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Doc</source>
        <translation>Documentación</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Atributos</translation>
    </message>
    <message>
        <source>%1 elements   min %2   max %3   mean %4   std %5</source>
        <translation>%1 elementos   mín %2   máx %3   media %4   desv %5</translation>
    </message>
    <message numerus="yes">
        <source>%n non-finite value(s) left out</source>
        <translation>
            <numerusform>%n valor no finito omitido</numerusform>
            <numerusform>%n valores no finitos omitidos</numerusform>
        </translation>
    </message>
    <message>
        <source>value</source>
        <translation>valor</translation>
    </message>
    <message>
        <source>count</source>
        <translation>cantidad</translation>
    </message>
</context>
<context>
    <name>lb::widgets::QuantSqnrChart</name>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <source>tensor, in graph order (hover for names)</source>
        <translation>tensor, en orden del grafo (pase el ratón para ver nombres)</translation>
    </message>
    <message>
        <source>threshold %1 dB: %2 below (drag)</source>
        <translation>umbral %1 dB: %2 por debajo (arrastrar)</translation>
    </message>
    <message>
        <source>%1 (%2, %3)
SQNR %4 dB, MSE %5, cosine %6, max error %7</source>
        <translation>%1 (%2, %3)
SQNR %4 dB, MSE %5, coseno %6, error máx. %7</translation>
    </message>
</context>
<context>
    <name>lb::widgets::QuantView</name>
    <message>
        <source>Cumulative</source>
        <translation>Acumulado</translation>
    </message>
    <message>
        <source>Isolated</source>
        <translation>Aislado</translation>
    </message>
    <message>
        <source>Cumulative: each tensor in the fully quantized model. Isolated: the model outputs with only that tensor quantized (sensitivity).</source>
        <translation>Acumulado: cada tensor en el modelo cuantizado por completo. Aislado: las salidas del modelo con solo ese tensor cuantizado (sensibilidad).</translation>
    </message>
    <message>
        <source>Threshold:</source>
        <translation>Umbral:</translation>
    </message>
    <message>
        <source> dB</source>
        <translation> dB</translation>
    </message>
    <message>
        <source>Colour graph by SQNR</source>
        <translation>Colorear el grafo por SQNR</translation>
    </message>
    <message>
        <source>Per-layer error</source>
        <translation>Error por capa</translation>
    </message>
    <message>
        <source>Encodings</source>
        <translation>Codificaciones</translation>
    </message>
    <message>
        <source>Drag range of %1</source>
        <translation>Arrastrar rango de %1</translation>
    </message>
    <message>
        <source>Quantize the model (Tools &gt; Quantize...) to see where the accuracy goes layer by layer.</source>
        <translation>Cuantice el modelo (Herramientas &gt; Cuantizar...) para ver dónde se pierde la precisión capa a capa.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Output SQNR %1 dB&lt;/b&gt;, top-1 agreement %2 %, %3 tensors, %4 samples, %5, act %6 bit, weights %7 bit%8</source>
        <translation>&lt;b&gt;SQNR de salida %1 dB&lt;/b&gt;, coincidencia top-1 %2 %, %3 tensores, %4 muestras, %5, activaciones %6 bits, pesos %7 bits%8</translation>
    </message>
    <message>
        <source> per-channel</source>
        <translation> por canal</translation>
    </message>
    <message>
        <source>Calibrated on random data: the ranges say little about real inputs.</source>
        <translation>Calibrado con datos aleatorios: los rangos dicen poco de las entradas reales.</translation>
    </message>
    <message>
        <source>%1%2: own SQNR %3 dB, isolated %4 dB, output SQNR %5 dB (measured in %6 ms; other tensors keep their last numbers)</source>
        <translation>%1%2: SQNR propio %3 dB, aislado %4 dB, SQNR de salida %5 dB (medido en %6 ms; los demás tensores conservan sus últimos valores)</translation>
    </message>
    <message>
        <source>Preview </source>
        <translation>Vista previa </translation>
    </message>
    <message>
        <source>SQNR &lt; 10 dB</source>
        <translation>SQNR &lt; 10 dB</translation>
    </message>
    <message>
        <source>10 - 20 dB</source>
        <translation>10 - 20 dB</translation>
    </message>
    <message>
        <source>20 - 30 dB</source>
        <translation>20 - 30 dB</translation>
    </message>
    <message>
        <source>30 - 40 dB</source>
        <translation>30 - 40 dB</translation>
    </message>
    <message>
        <source>&gt;= 40 dB</source>
        <translation>&gt;= 40 dB</translation>
    </message>
    <message>
        <source>Preview %1: measuring the dragged range...</source>
        <translation>Vista previa %1: midiendo el rango arrastrado...</translation>
    </message>
    <message>
        <source>%1: measuring the edited encoding...</source>
        <translation>%1: midiendo la codificación editada...</translation>
    </message>
    <message>
        <source>%1: the edited encoding could not be measured: %2</source>
        <translation>%1: no se pudo medir la codificación editada: %2</translation>
    </message>
</context>
<context>
    <name>lb::widgets::SearchBar</name>
    <message>
        <source>Find node, op or tensor</source>
        <translation>Buscar nodo, operación o tensor</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>Coincidencia anterior (Mayús+Intro)</translation>
    </message>
    <message>
        <source>Next match (Enter)</source>
        <translation>Coincidencia siguiente (Intro)</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Cerrar (Esc)</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Sin coincidencias</translation>
    </message>
    <message>
        <source>Which names to search: node names, op types, tensor names or all</source>
        <translation>Qué nombres buscar: nombres de nodo, tipos de operación, nombres de tensor o todos</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Show or hide the list of matches</source>
        <translation>Muestra u oculta la lista de coincidencias</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Todo</translation>
    </message>
    <message>
        <source>Node names</source>
        <translation>Nombres de nodo</translation>
    </message>
    <message>
        <source>Op types</source>
        <translation>Tipos de operación</translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation>Tensores</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>lb::widgets::SearchResultsModel</name>
    <message>
        <source>node name</source>
        <translation>nombre de nodo</translation>
    </message>
    <message>
        <source>node name %1</source>
        <translation>nombre de nodo %1</translation>
    </message>
    <message>
        <source>op type</source>
        <translation>tipo de operación</translation>
    </message>
    <message>
        <source>tensor %1</source>
        <translation>tensor %1</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(sin nombre)</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <source>Op type</source>
        <translation>Tipo de operación</translation>
    </message>
    <message>
        <source>Matched by</source>
        <translation>Coincide por</translation>
    </message>
</context>
<context>
    <name>lb::widgets::SummaryPane</name>
    <message>
        <source>File: %1</source>
        <translation>Archivo: %1</translation>
    </message>
    <message>
        <source>Graph: %1</source>
        <translation>Grafo: %1</translation>
    </message>
    <message>
        <source>IR version: %1</source>
        <translation>Versión de IR: %1</translation>
    </message>
    <message>
        <source>Opsets: %1</source>
        <translation>Opsets: %1</translation>
    </message>
    <message>
        <source>Producer: %1</source>
        <translation>Productor: %1</translation>
    </message>
    <message>
        <source>%1 MACs</source>
        <translation>%1 MAC</translation>
    </message>
    <message numerus="yes">
        <source>(%n node(s) unknown)</source>
        <translation>
            <numerusform>(%n nodo desconocido)</numerusform>
            <numerusform>(%n nodos desconocidos)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 parameters (%2 bytes)   %3   %4 nodes</source>
        <translation>%1 parámetros (%2 bytes)   %3   %4 nodos</translation>
    </message>
    <message>
        <source>%1 parameters, %2 MACs</source>
        <translation>%1 parámetros, %2 MAC</translation>
    </message>
    <message>
        <source>nodes</source>
        <translation>nodos</translation>
    </message>
    <message>
        <source>%1 other ops</source>
        <translation>%1 operaciones más</translation>
    </message>
</context>
<context>
    <name>lb::widgets::TensorTableModel</name>
    <message>
        <source>input</source>
        <translation>entrada</translation>
    </message>
    <message>
        <source>output</source>
        <translation>salida</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Función</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); run it in a desktop session or under xvfb-run, or use layerbench-cli</source>
        <translation>no hay pantalla en la que abrir la ventana (DISPLAY y WAYLAND_DISPLAY no están definidas); ejecútelo en una sesión de escritorio o con xvfb-run, o use layerbench-cli</translation>
    </message>
</context>
</TS>
